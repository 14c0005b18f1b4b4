namespace Degradation.Alerts;

/// <summary>A point-in-time view of one route of an <see cref="AlertRouter"/>.</summary>
public sealed record AlertRouteStatus
{
    /// <summary>The route's name.</summary>
    public required string Name { get; init; }
    /// <summary>The audience it takes, or null for every audience.</summary>
    public string? Audience { get; init; }
    /// <summary>The least severe alert it takes.</summary>
    public required Severity MinimumSeverity { get; init; }
    /// <summary>True after a failed delivery, until a delivery succeeds again.</summary>
    public required bool IsDown { get; init; }
    /// <summary>Alerts delivered.</summary>
    public required long Delivered { get; init; }
    /// <summary>Failed deliveries (exceptions and timeouts).</summary>
    public required long Failures { get; init; }
    /// <summary>Alerts not attempted because the route was down and waiting to be retried.</summary>
    public required long Skipped { get; init; }
    /// <summary>The latest failure's message.</summary>
    public string? LastError { get; init; }
}
