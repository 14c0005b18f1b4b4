namespace Degradation.State;

/// <summary>
/// Who raised a condition: a kind and, optionally, a name (the probe, the breaker, the operator, the user
/// source). A <see cref="EventType.Recovered"/> event clears only the conditions its own source raised, so a
/// probe that sees the broker again cannot clear what an open breaker on the broker reported.
/// </summary>
/// <param name="Kind">What kind of source.</param>
/// <param name="Name">Its name, or null when the kind alone identifies it.</param>
public readonly record struct ConditionSource(ConditionSourceKind Kind, string? Name = null)
{
    /// <summary>Application code that did not name a source (the default).</summary>
    public static ConditionSource Application => default;

    /// <summary>The state machine itself.</summary>
    public static ConditionSource StateMachine => new(ConditionSourceKind.StateMachine);

    /// <summary>The write buffer.</summary>
    public static ConditionSource WriteBuffer => new(ConditionSourceKind.WriteBuffer);

    /// <summary>The fleet's central policy.</summary>
    public static ConditionSource FleetPolicy => new(ConditionSourceKind.FleetPolicy);

    /// <summary>A probe called <paramref name="name"/>.</summary>
    public static ConditionSource Probe(string name) => new(ConditionSourceKind.Probe, RequireName(name));

    /// <summary>A circuit breaker called <paramref name="name"/>.</summary>
    public static ConditionSource Breaker(string name) => new(ConditionSourceKind.Breaker, RequireName(name));

    /// <summary>The operator <paramref name="operatorId"/>.</summary>
    public static ConditionSource Operator(string operatorId) => new(ConditionSourceKind.Operator, RequireName(operatorId, nameof(operatorId)));

    /// <summary>A source the application names itself.</summary>
    public static ConditionSource User(string name) => new(ConditionSourceKind.User, RequireName(name));

    /// <summary>The wire form: the kind in snake case, then <c>:name</c> when there is a name (e.g. <c>probe:broker</c>).</summary>
    public override string ToString()
    {
        var kind = Kind switch
        {
            ConditionSourceKind.Application => "application",
            ConditionSourceKind.StateMachine => "state_machine",
            ConditionSourceKind.Probe => "probe",
            ConditionSourceKind.Breaker => "breaker",
            ConditionSourceKind.WriteBuffer => "write_buffer",
            ConditionSourceKind.Operator => "operator",
            ConditionSourceKind.FleetPolicy => "fleet_policy",
            ConditionSourceKind.User => "user",
            _ => "unknown",
        };
        return Name is null ? kind : kind + ":" + Name;
    }

    private static string RequireName(string name, string parameter = "name")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name, parameter);
        return name;
    }
}
