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
/// <para>
/// Scopes: <see cref="ForScope"/> gives each scope its own file beside the process's,
/// <c>operator-state.scope.venue-a+acct-1.json</c> for <c>venue-a/acct-1</c> (<c>'/'</c> becomes <c>'+'</c>, which scope
/// names cannot contain), written the same way. A scope's file names its scope (<c>"scope"</c>), and a file whose scope
/// is not the one expected is unreadable. Files written before scopes existed have no <c>"scope"</c> and are the process's.
/// </para>
/// </summary>
public sealed class FileOperatorStateStore : IOperatorStateStore
{
    /// <summary>The file name used in the data directory.</summary>
    public const string FileName = "operator-state.json";

    private const int FormatVersion = 1;
    private const string ScopeFilePrefix = "operator-state.scope.";
    private readonly object _lock = new();
    private readonly string _scope;
    private readonly string _directory;
    private readonly string _path;
    private readonly string _temporaryPath;

    /// <summary>Creates a store in <paramref name="directory"/> (created when missing).</summary>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is empty.</exception>
    public FileOperatorStateStore(string directory)
        : this(directory, string.Empty)
    {
    }

    private FileOperatorStateStore(string directory, string scope)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        _directory = Path.GetFullPath(directory);
        Directory.CreateDirectory(_directory);
        _scope = scope;
        _path = Path.Combine(_directory, scope.Length == 0 ? FileName : ScopeFilePrefix + scope.Replace('/', '+') + ".json");
        _temporaryPath = _path + ".tmp";
    }

    /// <summary>The full path of the state file.</summary>
    public string FilePath => _path;

    /// <summary>The scope whose state this store keeps: empty for the process.</summary>
    public string Scope => _scope;

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="scopePath"/> is empty or not a scope path (up to three names of ASCII letters, digits, '-', '_' and '.', separated by '/').</exception>
    public IOperatorStateStore ForScope(string scopePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(scopePath);
        var segments = scopePath.Split('/');
        if (segments.Length > 3 || segments.Any(s => s.Length == 0 || s.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.'))))
            throw new ArgumentException($"'{scopePath}' is not a scope path (up to three names of ASCII letters, digits, '-', '_' and '.', separated by '/').", nameof(scopePath));
        return new FileOperatorStateStore(_directory, scopePath);
    }

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

    private byte[] Encode(OperatorState state)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("version", FormatVersion);
            if (_scope.Length > 0) json.WriteString("scope", _scope); // absent for the process, as before scopes existed
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

    private OperatorState Decode(byte[] bytes)
    {
        using var document = JsonDocument.Parse(bytes);
        var root = document.RootElement;
        var version = root.GetProperty("version").GetInt32();
        if (version != FormatVersion) throw new FormatException($"unsupported version {version.ToString(CultureInfo.InvariantCulture)} (this library reads {FormatVersion.ToString(CultureInfo.InvariantCulture)})");
        var scope = root.TryGetProperty("scope", out var s) ? s.GetString() ?? string.Empty : string.Empty;
        if (!string.Equals(scope, _scope, StringComparison.Ordinal))
            throw new FormatException($"it holds the state of {(scope.Length == 0 ? "the process" : "scope '" + scope + "'")}, not of {(_scope.Length == 0 ? "the process" : "scope '" + _scope + "'")}");
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
        return new OperatorState { Scope = scope, Halt = halt, Override = forced, SavedAt = root.GetProperty("saved_at").GetDateTimeOffset() };
    }

    private static string Text(JsonElement element, string name)
    {
        var value = element.GetProperty(name).GetString();
        if (string.IsNullOrWhiteSpace(value)) throw new FormatException($"'{name}' is empty");
        return value;
    }
}
