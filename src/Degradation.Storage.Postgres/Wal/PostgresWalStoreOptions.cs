namespace Degradation.Storage.Postgres;

/// <summary>Options of a <see cref="PostgresWalStore"/>.</summary>
public sealed class PostgresWalStoreOptions
{
    /// <summary>The schema holding <c>db_buffer_wal</c> (created by <see cref="PostgresSchema"/>).</summary>
    public string Schema { get; set; } = "public";

    /// <summary>
    /// The log this store reads and writes inside the shared table. Each process (or each write buffer) that
    /// replays its own writes uses its own stream; idempotent keys are unique per stream.
    /// </summary>
    public string Stream { get; set; } = "default";

    /// <summary>How many entries one round trip of <see cref="PostgresWalStore.ReadAsync"/> fetches.</summary>
    public int ReadPageSize { get; set; } = 500;

    internal void Validate()
    {
        SqlNames.ValidateIdentifier(Schema, nameof(Schema));
        if (string.IsNullOrWhiteSpace(Stream) || Stream.Length > 200)
            throw new ArgumentException($"{nameof(Stream)} must be 1 to 200 characters (was '{Stream}').", nameof(Stream));
        if (ReadPageSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(ReadPageSize), ReadPageSize, $"{nameof(ReadPageSize)} must be > 0 (was {ReadPageSize}).");
    }
}
