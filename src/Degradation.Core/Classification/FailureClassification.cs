namespace Degradation.Classification;

/// <summary>The verdict of a <see cref="FailureClassifier"/> on one <see cref="HealthSample"/>.</summary>
public readonly record struct FailureClassification
{
    /// <summary>Creates a verdict.</summary>
    public FailureClassification(FailureKind kind, Severity severity, HealthSample sample)
    {
        Kind = kind;
        Severity = severity;
        Sample = sample;
    }

    /// <summary>What was found (the most severe breach).</summary>
    public FailureKind Kind { get; }
    /// <summary>How severe: the taxonomy's severity of <see cref="Kind"/> (see <see cref="FailureTaxonomy"/>), Info when healthy.</summary>
    public Severity Severity { get; }
    /// <summary>The sample classified.</summary>
    public HealthSample Sample { get; }
    /// <summary>A critical threshold was breached.</summary>
    public bool IsFailure => Kind >= FailureKind.HighLatency;
    /// <summary>Only a warning threshold was breached.</summary>
    public bool IsQualityDegraded => Kind is > FailureKind.None and < FailureKind.HighLatency;
    /// <summary>The reason code reported for it (empty when healthy).</summary>
    public ReasonCode Reason => ClassificationReasons.For(Kind);
    /// <summary>The taxonomy entry of <see cref="Kind"/> (detection method, typical recovery, manual intervention), or null when healthy.</summary>
    public FailureTypeInfo? Info => Kind == FailureKind.None ? null : FailureTaxonomy.Get(Kind);

    /// <inheritdoc />
    public override string ToString()
    {
        var text = $"{Kind} ({Severity}): latency {Sample.LatencyMs:0.#} ms, error rate {Sample.ErrorRate:0.####}, queue {Sample.QueueDepth}";
        if (Sample.Signals != FailureSignals.None) text += $", signals {Sample.Signals}";
        if (Info is { } info)
            text += $"; detected by {info.Detection}, typical recovery {info.TypicalRecovery.TotalMinutes:0.#} min{(info.RequiresManualIntervention ? ", needs an operator" : "")}";
        return text;
    }
}
