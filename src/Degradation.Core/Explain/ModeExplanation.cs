namespace Degradation.Explain;

/// <summary>
/// Why the system is not in Normal: every hold that stands between the current mode and Normal, from the
/// strongest (an operator's Halt) to the weakest (the remaining stability time). Empty in Normal.
/// Obtained from <see cref="DegradationStateMachine.ExplainMode"/>.
/// </summary>
public sealed record ModeExplanation
{
    /// <summary>The mode when the explanation was taken.</summary>
    public required SystemMode Mode { get; init; }

    /// <summary>The recovery stage when recovering.</summary>
    public RecoveryStage? Stage { get; init; }

    /// <summary>The sequence of the last transition when the explanation was taken.</summary>
    public required long Sequence { get; init; }

    /// <summary>What holds the system back; empty when the mode is Normal.</summary>
    public required IReadOnlyList<ModeHold> Holds { get; init; }

    /// <summary>True when the system is in Normal.</summary>
    public bool IsNormal => Mode == SystemMode.Normal;

    /// <summary>One line: the mode and what holds it, e.g. for a health check's description.</summary>
    public string Summary => IsNormal
        ? "normal"
        : $"{WireNames.Of(Mode)}{(Stage is { } s ? "/" + WireNames.Of(s) : "")}: " +
          (Holds.Count == 0 ? "nothing holds it; the next evaluation moves on" : string.Join("; ", Holds.Select(h => h.Text)));
}
