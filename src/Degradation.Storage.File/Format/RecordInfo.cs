namespace Degradation.Storage.File.Format;

/// <summary>Where one durable record sits in its segment, with what stats and reads need.</summary>
internal struct RecordInfo
{
    public long Sequence;
    /// <summary>Every sequence at or below this was durable before the record was written.</summary>
    public long DurableThrough;
    public long CreatedUtcTicks;
    public int Offset;
    public int Length;
    public int PayloadLength;
}
