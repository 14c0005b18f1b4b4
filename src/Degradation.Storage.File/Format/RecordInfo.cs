namespace Degradation.Storage.File.Format;

/// <summary>Where one durable record sits in its segment, with what stats and reads need.</summary>
internal struct RecordInfo
{
    public long Sequence;
    public long CreatedUtcTicks;
    public int Offset;
    public int Length;
    public int PayloadLength;
}
