using System.Text.Json.Serialization;

namespace Degradation.Storage.Postgres;

/// <summary>The spool's record format: one <see cref="AuditRow"/> as UTF-8 JSON (source-generated, no reflection).</summary>
[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(AuditRow))]
internal sealed partial class AuditRowJsonContext : JsonSerializerContext;
