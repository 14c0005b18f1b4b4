using System.Text;
using System.Text.Json;
using Degradation.Events;

namespace Degradation.Hosting;

/// <summary>
/// Copies the events the bus dropped into a JSON-lines file, flushed to disk, so the evidence survives the process
/// (<see cref="GracefulDegradationBuilder.UseDroppedEventFile"/>). Drops the bounded in-memory log no longer held when
/// read are written as one line with their count: none is lost silently. Called from one timer; not thread-safe.
/// </summary>
internal sealed class DroppedEventFile(string path)
{
    private long _seen;

    public string Path { get; } = path;

    /// <summary>Appends the drops recorded since the last call; returns how many lines were written.</summary>
    public int Append(DroppedEventLog log)
    {
        var batch = log.ReadSince(_seen);
        if (batch.Events.Count == 0 && batch.NotRetained == 0) return 0;
        using var buffer = new MemoryStream();
        var lines = 0;
        if (batch.NotRetained > 0)
        {
            Line(buffer, w => { w.WriteString("kind", "not_retained"); w.WriteNumber("count", batch.NotRetained); });
            lines++;
        }
        foreach (var e in batch.Events)
        {
            Line(buffer, w =>
            {
                w.WriteString("kind", "dropped");
                w.WriteString("at", e.WallTime);
                w.WriteString("type", e.Type.ToString());
                w.WriteString("component", e.Component.Name);
                w.WriteString("reason", e.Reason.Value);
                w.WriteString("severity", e.Severity.ToString());
                if (e.Details is not null) w.WriteString("details", e.Details);
            });
            lines++;
        }
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        using (var file = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read))
        {
            buffer.Position = 0;
            buffer.CopyTo(file);
            file.Flush(flushToDisk: true);
        }
        _seen = batch.Total; // only once written: a failed write is retried on the next call
        return lines;
    }

    private static void Line(MemoryStream buffer, Action<Utf8JsonWriter> body)
    {
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
    }
}

/// <summary>Where <see cref="DroppedEventFile"/> writes, from <see cref="GracefulDegradationBuilder.UseDroppedEventFile"/>.</summary>
internal sealed record DroppedEventFileRegistration(string Path);
