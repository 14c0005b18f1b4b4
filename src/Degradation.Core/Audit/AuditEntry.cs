namespace Degradation.Audit;

/// <summary>
/// One link of the tamper-evident audit chain: its <see cref="Hash"/> is the SHA-256 of its content and the
/// previous entry's hash, so altering, removing or reordering any entry breaks every link after it
/// (see <see cref="AuditChainVerifier"/>).
/// </summary>
public sealed record AuditEntry
{
    /// <summary>Position in the chain, starting at 1, without gaps.</summary>
    public required long Sequence { get; init; }
    /// <summary>What it records.</summary>
    public required AuditEntryKind Kind { get; init; }
    /// <summary>A short machine-readable action, e.g. <c>mode_change</c>, <c>fallback.failover</c>, <c>approval.granted</c>.</summary>
    public required string Action { get; init; }
    /// <summary>The component or subject concerned, if any.</summary>
    public string? Component { get; init; }
    /// <summary>The operator who acted; null for automatic actions.</summary>
    public string? OperatorId { get; init; }
    /// <summary>The state before, if it is a change.</summary>
    public string? From { get; init; }
    /// <summary>The state after, if it is a change.</summary>
    public string? To { get; init; }
    /// <summary>Why: a reason code or the operator's reason.</summary>
    public string? Reason { get; init; }
    /// <summary>Free text.</summary>
    public string? Details { get; init; }
    /// <summary>When it happened (wall clock, from the TimeProvider).</summary>
    public required DateTimeOffset WallTime { get; init; }
    /// <summary>The previous entry's hash (lower-case hex), or the chain's anchor for the first entry.</summary>
    public required string PreviousHash { get; init; }
    /// <summary>SHA-256 (lower-case hex) of this entry's content and <see cref="PreviousHash"/>.</summary>
    public required string Hash { get; init; }

    /// <inheritdoc />
    public override string ToString() =>
        $"#{Sequence} {WallTime:O} {Kind} {Action}{(Component is null ? "" : " " + Component)}" +
        $"{(From is null && To is null ? "" : $" {From} -> {To}")}{(Reason is null ? "" : " (" + Reason + ")")}" +
        $"{(OperatorId is null ? "" : " by " + OperatorId)}{(Details is null ? "" : ": " + Details)}";
}
