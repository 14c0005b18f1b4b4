namespace Degradation.Audit;

/// <summary>
/// One link of the tamper-evident audit chain: an <see cref="AuditRecord"/> (what happened) with its position in the
/// chain and its <see cref="Hash"/>, the SHA-256 of the record's content, the position and the previous entry's hash,
/// so altering, removing or reordering any entry breaks every link after it (see <see cref="AuditChainVerifier"/>).
/// </summary>
public sealed record AuditEntry
{
    /// <summary>Position in the chain, starting at 1, without gaps.</summary>
    public required long Sequence { get; init; }
    /// <summary>What it records: kind, action, component, operator, change, reason, details and wall time.</summary>
    public required AuditRecord Record { get; init; }
    /// <summary>The previous entry's hash (lower-case hex), or the chain's anchor for the first entry.</summary>
    public required string PreviousHash { get; init; }
    /// <summary>SHA-256 (lower-case hex) of <see cref="Sequence"/>, <see cref="Record"/> and <see cref="PreviousHash"/>.</summary>
    public required string Hash { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"#{Sequence} {Record}";
}
