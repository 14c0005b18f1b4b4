using Degradation.Alerts;

namespace Degradation.AspNetCore.Contracts;

/// <summary>The answer to POST <c>alerts/{id}/acknowledge</c>.</summary>
public sealed class AcknowledgeAlertResponse
{
    /// <summary><c>acknowledged</c>, or <c>already_acknowledged</c> when someone had done it before (nothing changed).</summary>
    public required string Outcome { get; init; }
    /// <summary>The alert as it stands now.</summary>
    public required AlertResponse Alert { get; init; }
}
