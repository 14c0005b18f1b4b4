namespace Degradation.Storage.File.Segments;

/// <summary>One segment file: its first sequence (from its name and header), its durable length and its index.</summary>
internal sealed class Segment(string path, long firstSequence, long length)
{
    public string Path { get; } = path;
    public long FirstSequence { get; } = firstSequence;
    /// <summary>Bytes of durable, valid data (header included).</summary>
    public long Length { get; set; } = length;
    public RecordIndex Index { get; } = new();
}
