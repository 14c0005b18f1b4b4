using System.Globalization;
using System.Text.Json;
using Degradation.Operator;
using Degradation.State;
using Degradation.Storage.File.Segments;

namespace Degradation.Storage.File;

/// <summary>
/// The embedded <see cref="IOperatorStateStore"/>: one small JSON file (<c>operator-state.json</c>) in the data
/// directory. <see cref="Save"/> writes a temporary file, fsyncs it, renames it over the old one and fsyncs the
/// directory, so after a crash (SIGKILL, power loss) the file holds either the old or the new state, never a
/// torn one. <see cref="Load"/> throws <see cref="InvalidDataException"/> for a file it cannot read, which makes
/// the state machine start halted. Thread-safe.
/// </summary>
public sealed class FileOperatorStateStore : IOperatorStateStore
{
    /// <summary>The file name used in the data directory.</summary>
    public const string FileName = "operator-state.json";

    private const int FormatVersion = 1;
    private readonly object _lock = new();
    private readonly string _directory;
    private readonly string _path;
    private readonly string _temporaryPath;

    /// <summary>Creates a store in <paramref name="directory"/> (created when missing).</summary>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is empty.</exception>
    public FileOperatorStateStore(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        _directory = Path.GetFullPath(directory);
        Directory.CreateDirectory(_directory);
        _path = Path.Combine(_directory, FileName);
        _temporaryPath = _path + ".tmp";
    }

    /// <summary>The full path of the state file.</summary>
    public string FilePath => _path;

    /// <inheritdoc />
    /// <exception cref="InvalidDataException">The file exists but is not a state this version can read.</exception>
    public OperatorState? Load()
    {
        lock (_lock)
        {
            if (!System.IO.File.Exists(_path)) return null;
            var bytes = System.IO.File.ReadAllBytes(_path);
            try
            {
                return Decode(bytes);
            }
            catch (Exception error) when (error is JsonException or FormatException or KeyNotFoundException or InvalidOperationException or ArgumentException)
            {
                throw new InvalidDataException($"{_path} is not a readable operator state: {error.Message}", error);
            }
        }
    }

    /// <inheritdoc />
    public void Save(OperatorState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var bytes = Encode(state);
        lock (_lock)
        {
            using (var handle = System.IO.File.OpenHandle(_temporaryPath, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                RandomAccess.Write(handle, bytes, 0);
                RandomAccess.FlushToDisk(handle);
            }
            System.IO.File.Move(_temporaryPath, _path, overwrite: true);
            DirectorySync.Flush(_directory);
        }
    }

    private static byte[] Encode(OperatorState state)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("version", FormatVersion);
            json.WriteString("saved_at", state.SavedAt);
            if (state.Halt is { } halt)
            {
                json.WriteStartObject("halt");
                json.WriteString("operator_id", halt.OperatorId);
                json.WriteString("reason", halt.Reason);
                json.WriteString("since", halt.Since);
                json.WriteEndObject();
            }
            if (state.Override is { } forced)
            {
                json.WriteStartObject("override");
                json.WriteString("mode", WireNames.Of(forced.Mode));
                json.WriteString("operator_id", forced.OperatorId);
                json.WriteString("reason", forced.Reason);
                json.WriteNumber("ttl_seconds", forced.Ttl.TotalSeconds);
                json.WriteString("started_at", forced.StartedAt);
                json.WriteString("expires_at", forced.ExpiresAt);
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static OperatorState Decode(byte[] bytes)
    {
        using var document = JsonDocument.Parse(bytes);
        var root = document.RootElement;
        var version = root.GetProperty("version").GetInt32();
        if (version != FormatVersion) throw new FormatException($"unsupported version {version.ToString(CultureInfo.InvariantCulture)} (this library reads {FormatVersion.ToString(CultureInfo.InvariantCulture)})");
        OperatorHaltInfo? halt = null;
        if (root.TryGetProperty("halt", out var h))
        {
            halt = new OperatorHaltInfo
            {
                OperatorId = Text(h, "operator_id"), Reason = Text(h, "reason"), Since = h.GetProperty("since").GetDateTimeOffset(),
            };
        }
        OverrideInfo? forced = null;
        if (root.TryGetProperty("override", out var o))
        {
            var modeName = Text(o, "mode");
            if (!WireNames.TryParseMode(modeName, out var mode)) throw new FormatException($"unknown mode '{modeName}'");
            forced = new OverrideInfo
            {
                Mode = mode, OperatorId = Text(o, "operator_id"), Reason = Text(o, "reason"),
                Ttl = TimeSpan.FromSeconds(o.GetProperty("ttl_seconds").GetDouble()),
                StartedAt = o.GetProperty("started_at").GetDateTimeOffset(), ExpiresAt = o.GetProperty("expires_at").GetDateTimeOffset(),
                ExpiresAtTimestamp = 0, // monotonic time does not survive a restart; the state machine recomputes it from ExpiresAt
            };
        }
        return new OperatorState { Halt = halt, Override = forced, SavedAt = root.GetProperty("saved_at").GetDateTimeOffset() };
    }

    private static string Text(JsonElement element, string name)
    {
        var value = element.GetProperty(name).GetString();
        if (string.IsNullOrWhiteSpace(value)) throw new FormatException($"'{name}' is empty");
        return value;
    }
}
