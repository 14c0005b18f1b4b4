namespace Degradation.Buffering;

/// <summary>The bounds of a <see cref="WriteBuffer"/> (from <see cref="DegradationOptions"/>).</summary>
public enum WriteBufferBound : byte
{
    /// <summary><see cref="DegradationOptions.DbBufferMaxEntries"/>.</summary>
    Entries,
    /// <summary><see cref="DegradationOptions.DbBufferMaxBytes"/> (payload bytes).</summary>
    Bytes,
    /// <summary><see cref="DegradationOptions.DbBufferMaxSeconds"/> (age of the oldest buffered entry).</summary>
    Age,
}
