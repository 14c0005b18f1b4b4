namespace Degradation.Storage.File.Format;

internal enum RecordStatus : byte
{
    Valid,
    /// <summary>The header or the body it announces runs past the end of the data (a torn write).</summary>
    Incomplete,
    /// <summary>The length field is impossible.</summary>
    BadLength,
    BadChecksum,
    /// <summary>The sequence number is outside the range the record may have.</summary>
    BadSequence,
    /// <summary>The checksum matches but the body's fields are inconsistent.</summary>
    BadBody,
}
