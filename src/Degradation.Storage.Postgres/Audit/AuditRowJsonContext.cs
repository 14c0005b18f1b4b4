using System.Text.Json.Serialization;

namespace Degradation.Storage.Postgres;

/// <summary>
/// The spool's record formats, as UTF-8 JSON (source-generated, no reflection): one <see cref="AuditRow"/> (a
/// transition) or one <see cref="AuditRecordRow"/> (another audit record). The spool tells them apart by their resource type.
/// </summary>
[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(AuditRow))]
[JsonSerializable(typeof(AuditRecordRow))]
internal sealed partial class AuditRowJsonContext : JsonSerializerContext;
