namespace Degradation.State;

/// <summary>Who raised a condition (see <see cref="ConditionSource"/>).</summary>
public enum ConditionSourceKind : byte
{
    /// <summary>Application code that reported an event without naming a source.</summary>
    Application = 0,
    /// <summary>The state machine itself (staleness, a failed recovery run).</summary>
    StateMachine = 1,
    /// <summary>A probe.</summary>
    Probe = 2,
    /// <summary>A circuit breaker.</summary>
    Breaker = 3,
    /// <summary>The write buffer.</summary>
    WriteBuffer = 4,
    /// <summary>An operator command.</summary>
    Operator = 5,
    /// <summary>The fleet's central policy.</summary>
    FleetPolicy = 6,
    /// <summary>A source the application named itself.</summary>
    User = 7,
}
