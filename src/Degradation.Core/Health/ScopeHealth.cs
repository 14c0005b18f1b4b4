namespace Degradation.Health;

/// <summary>A scope below the process that is closed at its own level, as a <see cref="HealthReport"/> lists it.</summary>
public sealed record ScopeHealth
{
    /// <summary>The scope's path, e.g. <c>"venue-a/acct-1"</c>.</summary>
    public required string Path { get; init; }
    /// <summary>The scope's level.</summary>
    public required ScopeLevel Level { get; init; }
    /// <summary>The scope's own mode (its state machine's), which refuses <see cref="ActionType.Send"/>.</summary>
    public required SystemMode OwnMode { get; init; }
    /// <summary>The scope's own recovery stage, in Recovering.</summary>
    public RecoveryStage? Stage { get; init; }
    /// <summary>Why the scope is in its own mode.</summary>
    public required ReasonCode Reason { get; init; }
    /// <summary>The effective mode its gate applies (its own or a stricter ancestor's).</summary>
    public required SystemMode EffectiveMode { get; init; }
    /// <summary>True when the scope is halted (by an operator, the fleet or a Halt condition).</summary>
    public required bool Halted { get; init; }
    /// <summary>The operator Halt (the scope's kill switch), when one is in force.</summary>
    public OperatorHaltInfo? OperatorHalt { get; init; }

    /// <inheritdoc />
    public override string ToString() =>
        $"{Path}: {WireNames.Of(OwnMode)}{(Stage is { } s ? "/" + WireNames.Of(s) : "")} ({Reason}){(OperatorHalt is { } h ? " halted by " + h.OperatorId : "")}";
}
