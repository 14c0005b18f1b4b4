namespace Degradation;

/// <summary>
/// The operating mode of the whole trading system. The numeric value is the mode's priority:
/// when several conditions are active, the most severe (highest value) wins.
/// </summary>
public enum SystemMode : byte
{
    /// <summary>Everything works; every action is allowed.</summary>
    Normal = 0,
    /// <summary>A staged recovery run is in progress; see <see cref="RecoveryStage"/>.</summary>
    Recovering = 1,
    /// <summary>A support dependency failed; trading continues under per-mode limits.</summary>
    Degraded = 2,
    /// <summary>Capital protection: no new orders; cancel and reduce-only are allowed (best-effort).</summary>
    SafeMode = 3,
    /// <summary>Capital protection while the broker is unreachable: queries from cache only.</summary>
    SafeModeDisconnected = 4,
    /// <summary>Everything stops until an operator releases it.</summary>
    Halt = 5,
}
