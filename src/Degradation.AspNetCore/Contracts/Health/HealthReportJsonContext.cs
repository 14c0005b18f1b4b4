using System.Text.Json.Serialization;

namespace Degradation.AspNetCore.Contracts;

/// <summary>Source-generated JSON metadata for the health report (same conventions as <see cref="DegradationJsonContext"/>).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    PropertyNameCaseInsensitive = true,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(HealthReportResponse))]
internal sealed partial class HealthReportJsonContext : JsonSerializerContext;
