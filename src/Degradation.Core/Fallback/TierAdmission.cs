namespace Degradation.Fallback;

/// <summary>How a call may use a tier.</summary>
internal enum TierAdmission : byte
{
    /// <summary>Not now (broken, awaiting approval, or not this call's turn on the ramp).</summary>
    Skip = 0,
    /// <summary>The active primary.</summary>
    Primary = 1,
    /// <summary>The primary under restoration: measured and validated.</summary>
    RampProbe = 2,
    /// <summary>A closed fallback tier.</summary>
    Fallback = 3,
    /// <summary>The one trial call of a broken fallback tier whose break has elapsed.</summary>
    Trial = 4,
}
