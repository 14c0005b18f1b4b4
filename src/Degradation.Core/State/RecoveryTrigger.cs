namespace Degradation.State;

/// <summary>What started a recovery run.</summary>
public enum RecoveryTrigger : byte
{
    /// <summary>Started automatically when the conditions that forced a safe mode cleared.</summary>
    Auto = 0,
    /// <summary>Started by an operator.</summary>
    Manual = 1,
    /// <summary>The process started; nothing may trade before recovery passes.</summary>
    ColdStart = 2,
}
