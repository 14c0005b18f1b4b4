namespace Degradation.Audit;

/// <summary>The outcome of verifying an audit chain.</summary>
/// <param name="IsValid">True when every entry links to the previous one and its hash matches its content.</param>
/// <param name="EntriesChecked">How many entries were checked.</param>
/// <param name="FirstInvalidIndex">Index (in the list given) of the first entry that fails, or -1.</param>
/// <param name="FirstInvalidSequence">Sequence number of that entry, if any.</param>
/// <param name="Problem">What is wrong with it, if anything.</param>
public readonly record struct AuditVerification(bool IsValid, int EntriesChecked, int FirstInvalidIndex, long? FirstInvalidSequence, string? Problem)
{
    /// <inheritdoc />
    public override string ToString() => IsValid
        ? $"audit chain valid ({EntriesChecked} entries)"
        : $"audit chain broken at index {FirstInvalidIndex} (sequence {FirstInvalidSequence}): {Problem}";
}
