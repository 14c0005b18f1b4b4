using Degradation.Operator;

namespace Degradation.Storage.Postgres;

/// <summary>
/// The adapter's schema, as forward-only versions recorded in <c>schema_version</c>. Never edit a released
/// step: add a new one. Every statement is idempotent so a half-known state (tables created by hand) heals.
/// </summary>
internal static class SchemaMigrations
{
    public static IReadOnlyList<SchemaMigration> All { get; } =
    [
        new(1, "mode_transitions audit and db_buffer_wal write-ahead log", AuditAndWal),
        new(2, "fleet_policy commands and fleet_policy_applied acknowledgements", FleetPolicy),
        new(3, "operator_state: durable operator Halt and override per state key", OperatorState),
        new(4, "scopes: operator_state per state key and scope, fleet_policy.target_scope", Scopes),
        new(5, "audit_records: audit records that are not transitions", AuditRecords),
    ];

    public static int Latest => All[^1].Version;

    private static string AuditAndWal(SqlNames n) => $"""
        CREATE TABLE IF NOT EXISTS {n.Table("mode_transitions")} (
            id uuid PRIMARY KEY,
            "timestamp" timestamptz NOT NULL,
            from_mode varchar(30) NOT NULL,
            to_mode varchar(30) NOT NULL,
            reason_code varchar(200) NOT NULL,
            source varchar(100) NOT NULL,
            operator_id varchar(100),
            override_ttl integer,
            details jsonb,
            process_id varchar(200) NOT NULL,
            host_id varchar(200) NOT NULL,
            sequence bigint NOT NULL,
            kind varchar(30) NOT NULL,
            from_stage varchar(30),
            to_stage varchar(30),
            recovery_run bigint,
            CONSTRAINT ck_mode_transitions_from_mode CHECK (from_mode IN ({DbText.ModeList})),
            CONSTRAINT ck_mode_transitions_to_mode CHECK (to_mode IN ({DbText.ModeList})),
            CONSTRAINT uq_mode_transitions_process_sequence UNIQUE (process_id, sequence)
        );
        CREATE INDEX IF NOT EXISTS idx_mode_transitions_timestamp ON {n.Table("mode_transitions")} ("timestamp" DESC);

        -- Exact payload bytes live in bytea (what ReadAsync returns); jsonb holds a queryable copy: the parsed
        -- JSON, or an object with one "$base64" member when the bytes are not valid JSON. The exception block is a
        -- subtransaction that writes nothing, so it takes no XID.
        CREATE OR REPLACE FUNCTION {n.Quoted}.degradation_bytes_to_jsonb(data bytea) RETURNS jsonb
        LANGUAGE plpgsql STABLE AS $fn$
        BEGIN
            RETURN convert_from(data, 'UTF8')::jsonb;
        EXCEPTION WHEN others THEN
            RETURN jsonb_build_object('$base64', encode(data, 'base64'));
        END
        $fn$;

        CREATE TABLE IF NOT EXISTS {n.Table("db_buffer_wal")} (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            stream varchar(200) NOT NULL DEFAULT 'default',
            idempotent_key varchar(200) NOT NULL,
            resource_type varchar(50) NOT NULL,
            resource_id varchar(100) NOT NULL,
            old_state jsonb,
            new_state jsonb NOT NULL,
            payload bytea NOT NULL,
            old_payload bytea,
            created_at timestamptz NOT NULL DEFAULT now(),
            replayed_at timestamptz,
            CONSTRAINT uq_db_buffer_wal_stream_key UNIQUE (stream, idempotent_key)
        );
        CREATE INDEX IF NOT EXISTS idx_db_buffer_wal_pending ON {n.Table("db_buffer_wal")} (stream, id) WHERE replayed_at IS NULL;
        """;

    private static string FleetPolicy(SqlNames n) => $"""
        CREATE TABLE IF NOT EXISTS {n.Table("fleet_policy")} (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            command_id uuid NOT NULL,
            command varchar(20) NOT NULL,
            target_group varchar(100),
            mode varchar(30),
            ttl_seconds integer,
            operator_id varchar(100) NOT NULL,
            reason text NOT NULL,
            issued_at timestamptz NOT NULL DEFAULT now(),
            expires_at timestamptz,
            CONSTRAINT uq_fleet_policy_command_id UNIQUE (command_id),
            CONSTRAINT ck_fleet_policy_command CHECK (command IN ('halt', 'force', 'release')),
            CONSTRAINT ck_fleet_policy_mode CHECK (mode IS NULL OR mode IN ({DbText.ModeList})),
            CONSTRAINT ck_fleet_policy_ttl CHECK (ttl_seconds IS NULL OR ttl_seconds > 0),
            CONSTRAINT ck_fleet_policy_force CHECK (command <> 'force' OR (mode IS NOT NULL AND ttl_seconds IS NOT NULL)),
            CONSTRAINT ck_fleet_policy_halt CHECK (command <> 'halt' OR mode = 'halt'),
            CONSTRAINT ck_fleet_policy_release CHECK (command <> 'release' OR (mode IS NULL AND ttl_seconds IS NULL)),
            CONSTRAINT ck_fleet_policy_expiry CHECK ((ttl_seconds IS NULL) = (expires_at IS NULL)),
            CONSTRAINT ck_fleet_policy_operator CHECK (length(btrim(operator_id)) > 0),
            CONSTRAINT ck_fleet_policy_reason CHECK (length(btrim(reason)) > 0),
            CONSTRAINT ck_fleet_policy_group CHECK (target_group IS NULL OR length(btrim(target_group)) > 0)
        );
        CREATE INDEX IF NOT EXISTS idx_fleet_policy_group_id ON {n.Table("fleet_policy")} (target_group, id);

        CREATE TABLE IF NOT EXISTS {n.Table("fleet_policy_applied")} (
            command_id uuid NOT NULL REFERENCES {n.Table("fleet_policy")} (command_id),
            process_id varchar(200) NOT NULL,
            host_id varchar(200) NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now(),
            outcome varchar(30) NOT NULL,
            details text,
            PRIMARY KEY (command_id, process_id)
        );
        """;

    private static string OperatorState(SqlNames n) => $"""
        CREATE TABLE IF NOT EXISTS {n.Table("operator_state")} (
            state_key varchar(200) PRIMARY KEY,
            halt_operator_id varchar(100),
            halt_reason text,
            halt_since timestamptz,
            override_mode varchar(30),
            override_operator_id varchar(100),
            override_reason text,
            override_ttl_seconds double precision,
            override_started_at timestamptz,
            override_expires_at timestamptz,
            saved_at timestamptz NOT NULL,
            CONSTRAINT ck_operator_state_halt CHECK ((halt_operator_id IS NULL) = (halt_since IS NULL) AND (halt_operator_id IS NULL) = (halt_reason IS NULL)),
            CONSTRAINT ck_operator_state_override CHECK ((override_mode IS NULL) = (override_expires_at IS NULL)),
            CONSTRAINT ck_operator_state_mode CHECK (override_mode IS NULL OR override_mode IN ({DbText.ModeList}))
        );
        """;

    // Rows written before scopes existed are the process's (scope ''), and fleet commands without a target scope
    // address the process scope, so every old row keeps its meaning.
    private static string Scopes(SqlNames n) => $"""
        ALTER TABLE {n.Table("operator_state")} ADD COLUMN IF NOT EXISTS scope varchar(200) NOT NULL DEFAULT '';
        DO $m$
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_constraint
                           WHERE conrelid = '{n.Table("operator_state").Replace("'", "''", StringComparison.Ordinal)}'::regclass AND conname = 'pk_operator_state_key_scope') THEN
                ALTER TABLE {n.Table("operator_state")} DROP CONSTRAINT IF EXISTS operator_state_pkey;
                ALTER TABLE {n.Table("operator_state")} ADD CONSTRAINT pk_operator_state_key_scope PRIMARY KEY (state_key, scope);
            END IF;
        END
        $m$;
        ALTER TABLE {n.Table("fleet_policy")} ADD COLUMN IF NOT EXISTS target_scope varchar(200);
        DO $m$
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_constraint
                           WHERE conrelid = '{n.Table("fleet_policy").Replace("'", "''", StringComparison.Ordinal)}'::regclass AND conname = 'ck_fleet_policy_scope') THEN
                ALTER TABLE {n.Table("fleet_policy")} ADD CONSTRAINT ck_fleet_policy_scope
                    CHECK (target_scope IS NULL OR target_scope ~ '^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)?(/[A-Za-z0-9._-]+)?$');
            END IF;
        END
        $m$;
        """;

    // Free-text columns are unbounded text: a spooled record the table refuses for its length would wait in the spool
    // forever, holding up every row behind it. The id is fixed when the record is first handled, so a retried write is
    // stored once; sequence is the order the process handed its records over (with process_id, for reading them back).
    private static string AuditRecords(SqlNames n) => $"""
        CREATE TABLE IF NOT EXISTS {n.Table("audit_records")} (
            id uuid PRIMARY KEY,
            process_id varchar(200) NOT NULL,
            host_id varchar(200) NOT NULL,
            sequence bigint NOT NULL,
            kind varchar(30) NOT NULL,
            action text NOT NULL,
            component text,
            operator_id text,
            from_state text,
            to_state text,
            reason text,
            details text,
            "timestamp" timestamptz NOT NULL
        );
        CREATE INDEX IF NOT EXISTS idx_audit_records_timestamp ON {n.Table("audit_records")} ("timestamp" DESC);
        CREATE INDEX IF NOT EXISTS idx_audit_records_process_sequence ON {n.Table("audit_records")} (process_id, sequence);
        """;
}
