using System.Text.Json.Serialization;

namespace Degradation.AspNetCore.Contracts;

/// <summary>
/// Source-generated JSON metadata for every operator API contract: snake_case property names, nulls written.
/// Clients may use it to (de)serialize the API without reflection.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    PropertyNameCaseInsensitive = true,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(StatusResponse))]
[JsonSerializable(typeof(PermissionsResponse))]
[JsonSerializable(typeof(ComponentsResponse))]
[JsonSerializable(typeof(HistoryPageResponse))]
[JsonSerializable(typeof(TransitionResponse))]
[JsonSerializable(typeof(ForceRequest))]
[JsonSerializable(typeof(ForceResponse))]
[JsonSerializable(typeof(ReleaseRequest))]
[JsonSerializable(typeof(RecoveryRequest))]
[JsonSerializable(typeof(CommandResponse))]
[JsonSerializable(typeof(RecoveryStartedResponse))]
[JsonSerializable(typeof(OperatorResponse))]
[JsonSerializable(typeof(HaltRequest))]
[JsonSerializable(typeof(ReleaseHaltRequest))]
[JsonSerializable(typeof(CommandRefusalResponse))]
[JsonSerializable(typeof(AlertsResponse))]
[JsonSerializable(typeof(AcknowledgeAlertRequest))]
[JsonSerializable(typeof(AcknowledgeAlertResponse))]
internal sealed partial class DegradationJsonContext : JsonSerializerContext;
