using System.Text.Json.Serialization;

namespace Degradation.AspNetCore.Contracts;

/// <summary>Source-generated JSON metadata for the scope endpoints' contracts (same conventions as <see cref="DegradationJsonContext"/>).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    PropertyNameCaseInsensitive = true,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(ScopesResponse))]
[JsonSerializable(typeof(ScopeCommandRequest))]
[JsonSerializable(typeof(ScopeCommandResponse))]
internal sealed partial class ScopeJsonContext : JsonSerializerContext;
