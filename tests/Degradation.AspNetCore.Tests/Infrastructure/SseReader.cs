using System.Text;
using System.Text.Json;

namespace Degradation.Tests.Infrastructure;

/// <summary>Reads Server-Sent Events from a streaming response.</summary>
public sealed class SseReader(Stream stream) : IDisposable
{
    private readonly StreamReader _reader = new(stream, Encoding.UTF8);

    public sealed record Event(string? Id, string Name, string Data)
    {
        public JsonElement Json => JsonDocument.Parse(Data).RootElement.Clone();
    }

    /// <summary>The next event (comments skipped), or throws when <paramref name="token"/> fires first.</summary>
    public async Task<Event> NextAsync(CancellationToken token)
    {
        string? id = null, name = null;
        var data = new StringBuilder();
        while (true)
        {
            var line = await _reader.ReadLineAsync(token) ?? throw new EndOfStreamException("The event stream ended.");
            if (line.Length == 0)
            {
                if (name is null && data.Length == 0) continue;
                return new Event(id, name ?? "message", data.ToString());
            }
            if (line.StartsWith(':')) continue;
            var colon = line.IndexOf(':');
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "id": id = value; break;
                case "event": name = value; break;
                case "data": if (data.Length > 0) data.Append('\n'); data.Append(value); break;
            }
        }
    }

    /// <summary>Skips events until one named <paramref name="name"/> satisfies <paramref name="match"/>.</summary>
    public async Task<Event> WaitForAsync(string name, Func<Event, bool> match, CancellationToken token)
    {
        while (true)
        {
            var next = await NextAsync(token);
            if (next.Name == name && match(next)) return next;
        }
    }

    public void Dispose() => _reader.Dispose();
}
