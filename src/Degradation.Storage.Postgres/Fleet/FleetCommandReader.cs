using Npgsql;

namespace Degradation.Storage.Postgres;

/// <summary>Reads <c>fleet_policy</c> rows (shared by the listener and the issuer).</summary>
internal static class FleetCommandReader
{
    public const string Columns = """
        id, command_id, command, target_group, mode, ttl_seconds, operator_id, reason, issued_at, expires_at,
        CASE WHEN expires_at IS NULL THEN NULL ELSE greatest(0, extract(epoch FROM expires_at - clock_timestamp()) * 1000)::float8 END AS remaining_ms,
        target_scope
        """;

    /// <summary>Reads the current row; <c>RemainingMs</c> is the time left by the database's clock (null: no expiry).</summary>
    public static (FleetCommand Command, double? RemainingMs) Read(NpgsqlDataReader reader)
    {
        var kind = reader.GetString(2) switch
        {
            "halt" => FleetCommandKind.Halt,
            "force" => FleetCommandKind.Force,
            "release" => FleetCommandKind.Release,
            var other => throw new FormatException($"Unknown fleet command '{other}' in the database."),
        };
        var command = new FleetCommand
        {
            Sequence = reader.GetInt64(0),
            CommandId = reader.GetGuid(1),
            Kind = kind,
            Group = reader.IsDBNull(3) ? null : reader.GetString(3),
            Mode = reader.IsDBNull(4) ? null : DbText.ParseMode(reader.GetString(4)),
            Ttl = reader.IsDBNull(5) ? null : TimeSpan.FromSeconds(reader.GetInt32(5)),
            OperatorId = reader.GetString(6),
            Reason = reader.GetString(7),
            IssuedAt = reader.GetFieldValue<DateTimeOffset>(8),
            ExpiresAt = reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9),
            Scope = reader.IsDBNull(11) ? null : reader.GetString(11),
        };
        return (command, reader.IsDBNull(10) ? null : reader.GetDouble(10));
    }
}
