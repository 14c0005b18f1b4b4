namespace Degradation.Classification;

/// <summary>The fixed facts about one <see cref="FailureKind"/> (see <see cref="FailureTaxonomy"/>).</summary>
public sealed record FailureTypeInfo
{
    /// <summary>The kind.</summary>
    public required FailureKind Kind { get; init; }
    /// <summary>The snake_case name used on the wire, e.g. <c>network_partition</c>.</summary>
    public required string Name { get; init; }
    /// <summary>How it is primarily detected.</summary>
    public required DetectionMethod Detection { get; init; }
    /// <summary>How long recovering from it typically takes (an estimate for operators, never a timer).</summary>
    public required TimeSpan TypicalRecovery { get; init; }
    /// <summary>True when it usually needs a person to fix (corrupt data, bad configuration, a network partition).</summary>
    public required bool RequiresManualIntervention { get; init; }
    /// <summary>The severity a classified sample of this kind carries.</summary>
    public required Severity Severity { get; init; }
    /// <summary>The reason code its events carry.</summary>
    public required ReasonCode Reason { get; init; }
    /// <summary>True for a failure; false for a quality warning.</summary>
    public bool IsFailure => Kind >= FailureKind.HighLatency;

    /// <summary>
    /// The mode the built-in decision matrix maps its reason to, or null when it has no row and the mode follows the
    /// component: SafeMode for a critical component's failure, Degraded otherwise.
    /// </summary>
    public SystemMode? DefaultMode => DefaultDecisionMatrix.Entries.TryGetValue(Reason.Value, out var mode) ? mode : null;

    /// <summary>When a failure detected at <paramref name="detectedAt"/> can typically be expected to be over.</summary>
    public DateTimeOffset EstimatedRecovery(DateTimeOffset detectedAt) => detectedAt + TypicalRecovery;

    /// <inheritdoc />
    public override string ToString() =>
        $"{Name}: detected by {Detection}, typical recovery {TypicalRecovery.TotalMinutes:0.#} min, {Severity}{(RequiresManualIntervention ? ", needs an operator" : "")}";
}
