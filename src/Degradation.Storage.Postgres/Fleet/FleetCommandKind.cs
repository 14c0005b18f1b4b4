namespace Degradation.Storage.Postgres;

/// <summary>What a fleet command asks every process in its scope to do.</summary>
public enum FleetCommandKind : byte
{
    /// <summary>Force <see cref="SystemMode.Halt"/> (until released, or for the command's TTL).</summary>
    Halt = 0,
    /// <summary>Force a mode for the command's TTL.</summary>
    Force = 1,
    /// <summary>End the override a previous fleet command installed; the mode is re-derived locally.</summary>
    Release = 2,
}
