namespace Degradation.Fallback;

/// <summary>Where the primary tier of a chain stands.</summary>
public enum PrimaryTierState : byte
{
    /// <summary>Serving every call.</summary>
    Active = 0,
    /// <summary>Broken: calls go to the fallback tiers.</summary>
    Broken = 1,
    /// <summary>Being restored: a growing share of calls (the ramp) goes to it while it is validated.</summary>
    Restoring = 2,
}
