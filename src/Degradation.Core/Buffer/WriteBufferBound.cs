namespace Degradation.Buffering;

/// <summary>The bounds of a <see cref="WriteBuffer"/> (from <see cref="DegradationOptions"/>).</summary>
public enum WriteBufferBound : byte
{
    /// <summary><see cref="BufferOptions.MaxEntries"/>.</summary>
    Entries,
    /// <summary><see cref="BufferOptions.MaxBytes"/> (payload bytes).</summary>
    Bytes,
    /// <summary><see cref="BufferOptions.MaxAge"/> (age of the oldest buffered entry).</summary>
    Age,
}
