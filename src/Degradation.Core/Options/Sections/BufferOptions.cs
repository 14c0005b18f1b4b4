namespace Degradation;

/// <summary>
/// Bounds of the write buffer that holds failed database writes (section <c>Degradation:Buffer</c>); reaching any of
/// them counts as an overflow (<c>db.buffer_overflow</c>, SafeMode) and the write is refused, never dropped.
/// </summary>
public sealed class BufferOptions : OptionsSection
{
    /// <summary>Most entries the write buffer holds (primary bound).</summary>
    [Minimum(1)]
    public int MaxEntries { get; set => field = Settable(value); } = 1000;

    /// <summary>Most payload bytes the write buffer holds.</summary>
    [Minimum(1)]
    public long MaxBytes { get; set => field = Settable(value); } = 10_000_000;

    /// <summary>Oldest age of a buffered entry before the buffer counts as overflowing.</summary>
    [ValidDuration]
    public TimeSpan MaxAge { get; set => field = Settable(value); } = TimeSpan.FromSeconds(60);
}
