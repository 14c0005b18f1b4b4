namespace Degradation.Storage.Postgres;

/// <summary>One operator command stored in <c>fleet_policy</c>.</summary>
public sealed record FleetCommand
{
    /// <summary>The table's sequence number: commands apply in this order (assigned in commit order).</summary>
    public required long Sequence { get; init; }
    /// <summary>The command's unique id; each process applies a command id at most once.</summary>
    public required Guid CommandId { get; init; }
    /// <summary>What to do.</summary>
    public required FleetCommandKind Kind { get; init; }
    /// <summary>The group it targets, or null for the whole fleet.</summary>
    public string? Group { get; init; }
    /// <summary>
    /// The scope it acts on in each targeted process (e.g. <c>"venue-a/acct-1"</c>: halt that account everywhere), or
    /// null for the process scope (the whole process, as before scopes existed).
    /// </summary>
    public string? Scope { get; init; }
    /// <summary>The mode to force (Halt for <see cref="FleetCommandKind.Halt"/>; null for a release).</summary>
    public SystemMode? Mode { get; init; }
    /// <summary>How long the command lasts from <see cref="IssuedAt"/>; null for a halt until release, and for a release.</summary>
    public TimeSpan? Ttl { get; init; }
    /// <summary>The operator who issued it (written to every process's audit).</summary>
    public required string OperatorId { get; init; }
    /// <summary>Why.</summary>
    public required string Reason { get; init; }
    /// <summary>When the database accepted it.</summary>
    public required DateTimeOffset IssuedAt { get; init; }
    /// <summary>When it stops applying (database clock), if it has a TTL.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>The text a process passes to the state machine as the override's reason (it names the command).</summary>
    public string Describe() => $"fleet {Kind.ToString().ToLowerInvariant()} {CommandId}{(Group is null ? "" : " (group " + Group + ")")}{(Scope is null ? "" : " (scope " + Scope + ")")}: {Reason}";

    /// <inheritdoc />
    public override string ToString() =>
        $"#{Sequence} {Kind}{(Mode is { } m && Kind == FleetCommandKind.Force ? " " + m : "")} {(Group is null ? "fleet" : "group " + Group)}{(Scope is null ? "" : " scope " + Scope)}{(Ttl is { } t ? " ttl " + t : "")} by {OperatorId}: {Reason} [{CommandId}]";
}
