namespace Degradation.AspNetCore.Contracts;

/// <summary>GET <c>alerts</c>: the alerts that need acknowledgement, open ones first (earliest deadline first), then recently acknowledged ones.</summary>
public sealed class AlertsResponse
{
    /// <summary>False when the host's alert router does not track acknowledgements (the list is then empty).</summary>
    public required bool TracksAcknowledgements { get; init; }
    /// <summary>Alerts still waiting for an operator (escalated or not).</summary>
    public required int Unacknowledged { get; init; }
    /// <summary>The alerts.</summary>
    public required IReadOnlyList<AlertResponse> Alerts { get; init; }
    /// <summary>The server's wall-clock time when the list was taken.</summary>
    public required DateTimeOffset ServerTime { get; init; }
}
