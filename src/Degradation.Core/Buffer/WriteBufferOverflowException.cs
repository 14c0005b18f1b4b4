using System.Globalization;

namespace Degradation.Buffering;

/// <summary>
/// Thrown by <see cref="WriteBuffer.EnqueueAsync"/> when accepting the write would exceed a bound; the write was
/// not buffered (nothing acknowledged is ever dropped). The buffer reports <c>db.buffer_overflow</c> at the same time.
/// </summary>
public sealed class WriteBufferOverflowException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public WriteBufferOverflowException(WriteBufferBound bound, double limit, double actual, string idempotentKey)
        : base(string.Create(CultureInfo.InvariantCulture,
            $"The write buffer is full: {OptionName(bound)} is {limit} and the write would make it {actual} ({Unit(bound)}); the write with idempotent key '{idempotentKey}' was not buffered."))
    {
        Bound = bound;
        Limit = limit;
        Actual = actual;
        IdempotentKey = idempotentKey;
    }

    /// <summary>The bound that was hit.</summary>
    public WriteBufferBound Bound { get; }
    /// <summary>The option that sets the bound, e.g. <c>MaxEntries</c> (section <c>Buffer</c>).</summary>
    public string BoundOption => OptionName(Bound);
    /// <summary>The bound's value (entries, bytes or seconds).</summary>
    public double Limit { get; }
    /// <summary>The value the buffer would have reached (entries, bytes or seconds of age).</summary>
    public double Actual { get; }
    /// <summary>The key of the rejected write.</summary>
    public string IdempotentKey { get; }

    /// <summary>The option name of <paramref name="bound"/>.</summary>
    public static string OptionName(WriteBufferBound bound) => bound switch
    {
        WriteBufferBound.Entries => nameof(BufferOptions.MaxEntries),
        WriteBufferBound.Bytes => nameof(BufferOptions.MaxBytes),
        _ => nameof(BufferOptions.MaxAge),
    };

    private static string Unit(WriteBufferBound bound) => bound switch
    {
        WriteBufferBound.Entries => "entries",
        WriteBufferBound.Bytes => "payload bytes",
        _ => "seconds of age of the oldest buffered entry",
    };
}
