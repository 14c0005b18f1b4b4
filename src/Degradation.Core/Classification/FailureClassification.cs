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
    /// <summary>How severe: Critical for an error spike, Warning for other failures and for quality warnings, Info when healthy.</summary>
    public Severity Severity { get; }
    /// <summary>The sample classified.</summary>
    public HealthSample Sample { get; }
    /// <summary>A critical threshold was breached.</summary>
    public bool IsFailure => Kind >= FailureKind.HighLatency;
    /// <summary>Only a warning threshold was breached.</summary>
    public bool IsQualityDegraded => Kind is > FailureKind.None and < FailureKind.HighLatency;
    /// <summary>The reason code reported for it (empty when healthy).</summary>
    public ReasonCode Reason => ClassificationReasons.For(Kind);

    /// <inheritdoc />
    public override string ToString() =>
        $"{Kind} ({Severity}): latency {Sample.LatencyMs:0.#} ms, error rate {Sample.ErrorRate:0.####}, queue {Sample.QueueDepth}";
}
