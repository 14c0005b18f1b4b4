namespace Degradation.AspNetCore.Contracts;

/// <summary>Body of POST <c>alerts/{id}/acknowledge</c> (a JSON object, possibly empty).</summary>
public sealed class AcknowledgeAlertRequest
{
    /// <summary>An optional note (audited with the acknowledgement).</summary>
    public string? Note { get; init; }
}
