namespace Degradation.State;

/// <summary>What a <see cref="ModeTransition"/> record describes.</summary>
public enum TransitionKind : byte
{
    /// <summary>The mode changed automatically.</summary>
    ModeChange = 0,
    /// <summary>A recovery run passed a stage (the mode stays Recovering).</summary>
    StageChange = 1,
    /// <summary>An operator forced a mode.</summary>
    OverrideStarted = 2,
    /// <summary>An override ended (expired, released or broken by a must-deliver event); the mode was re-derived.</summary>
    OverrideEnded = 3,
    /// <summary>An operator released a Halt.</summary>
    HaltReleased = 4,
    /// <summary>An operator started or completed a recovery run.</summary>
    OperatorCommand = 5,
    /// <summary>An operator halted the system (the kill switch), or a stored operator Halt was restored at start.</summary>
    OperatorHalt = 6,
}
