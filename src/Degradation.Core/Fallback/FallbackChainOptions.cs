using System.Globalization;

namespace Degradation.Fallback;

/// <summary>
/// Governance of a <see cref="FallbackChain{T}"/> (docs/RULES.md, Fallback governance): per-tier breaking, failover, approval,
/// and the validated, gradual restoration of the primary with rollback on an error spike.
/// </summary>
public sealed class FallbackChainOptions
{
    /// <summary>Consecutive failures that break a tier (default 3).</summary>
    public int FailureThreshold { get; set; } = 3;

    /// <summary>
    /// Seconds a broken tier rests, within [0, 4,294,967.294] (about 49.7 days, the longest timer delay): a fallback tier
    /// then gets one trial call, which must answer within the same duration (or the tier rests again; with a zero break
    /// the trial has no time limit); the primary then starts its restoration ramp.
    /// </summary>
    public double BreakDurationSeconds { get; set; } = 30;

    /// <summary>Fail over automatically to tiers that do not need approval. When false, every tier after the primary needs an operator's approval.</summary>
    public bool AutoFailover { get; set; } = true;

    /// <summary>Start restoring the primary by itself after <see cref="BreakDurationSeconds"/>. When false, an operator starts it (<see cref="FallbackChain.BeginRestoration"/>).</summary>
    public bool AutoRestore { get; set; } = true;

    /// <summary>The restoration ramp (default 10 % for 5 min, 25 % for 5 min, 50 % for 10 min, then 100 %). Percentages rise strictly and the last is 100.</summary>
    public List<RestorationRampStep> RestorationRamp { get; set; } =
    [
        new(10, 300),
        new(25, 300),
        new(50, 600),
        new(100, 0),
    ];

    /// <summary>Validation: consecutive successful primary calls needed at the end of a step (default 3).</summary>
    public int MinConsecutivePasses { get; set; } = 3;

    /// <summary>Validation: highest p99 latency of the step's primary calls, in milliseconds (default 500).</summary>
    public double MaxP99LatencyMs { get; set; } = 500;

    /// <summary>Validation: highest error rate of the step's primary calls, 0–1 (default 0.01).</summary>
    public double MaxErrorRate { get; set; } = 0.01;

    /// <summary>Validation: lowest rate of primary calls per second during the step; 0 disables the check (default 0: a floor such as 100 rps is workload-specific, so the check is off unless set).</summary>
    public double MinThroughputPerSecond { get; set; }

    /// <summary>Rollback: an error rate of the step's primary calls above this rolls the restoration back (default 0.05) ...</summary>
    public double RollbackErrorRate { get; set; } = 0.05;

    /// <summary>... once the step has at least this many primary calls. (<see cref="FailureThreshold"/> consecutive failures roll back at any count.)</summary>
    public int RollbackMinCalls { get; set; } = 20;

    /// <summary>Latency samples kept per step for the p99.</summary>
    public int LatencySampleSize { get; set; } = 1024;

    /// <summary>Transitions kept in the chain's history.</summary>
    public int HistorySize { get; set; } = 100;

    /// <summary>Audience of failover, rollback and restoration alerts.</summary>
    public string AlertAudience { get; set; } = AlertAudiences.Operators;

    /// <summary>Audience of approval requests (default: management).</summary>
    public string ApprovalAudience { get; set; } = AlertAudiences.Management;

    private static readonly double MaxBreakDurationSeconds = BreakerTime.MaxTimerDelay.TotalSeconds;

    /// <summary>Checks every value and returns one message per invalid option (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (FailureThreshold <= 0) errors.Add($"{nameof(FailureThreshold)} must be > 0 (was {F(FailureThreshold)}).");
        if (!(BreakDurationSeconds >= 0 && BreakDurationSeconds <= MaxBreakDurationSeconds))
            errors.Add($"{nameof(BreakDurationSeconds)} must be within [0, {F(MaxBreakDurationSeconds)}] (was {F(BreakDurationSeconds)}).");
        if (RestorationRamp is null || RestorationRamp.Count == 0) errors.Add($"{nameof(RestorationRamp)} must have at least one step.");
        else
        {
            for (var i = 0; i < RestorationRamp.Count; i++)
            {
                var step = RestorationRamp[i];
                if (step is null) { errors.Add($"{nameof(RestorationRamp)}[{i}] is null."); continue; }
                if (step.TrafficPercent is < 1 or > 100)
                    errors.Add($"{nameof(RestorationRamp)}[{i}].{nameof(RestorationRampStep.TrafficPercent)} must be between 1 and 100 (was {F(step.TrafficPercent)}).");
                if (!(step.DurationSeconds >= 0) || !double.IsFinite(step.DurationSeconds))
                    errors.Add($"{nameof(RestorationRamp)}[{i}].{nameof(RestorationRampStep.DurationSeconds)} must be >= 0 (was {F(step.DurationSeconds)}).");
                if (i > 0 && RestorationRamp[i - 1] is { } previous && step.TrafficPercent <= previous.TrafficPercent)
                    errors.Add($"{nameof(RestorationRamp)}[{i}].{nameof(RestorationRampStep.TrafficPercent)} ({F(step.TrafficPercent)}) must be above the previous step's ({F(previous.TrafficPercent)}).");
            }
            if (RestorationRamp[^1] is { } last && last.TrafficPercent != 100)
                errors.Add($"{nameof(RestorationRamp)}: the last step must send 100 % of traffic (was {F(last.TrafficPercent)}).");
        }
        if (MinConsecutivePasses < 0) errors.Add($"{nameof(MinConsecutivePasses)} must be >= 0 (was {F(MinConsecutivePasses)}).");
        if (!(MaxP99LatencyMs > 0) || !double.IsFinite(MaxP99LatencyMs)) errors.Add($"{nameof(MaxP99LatencyMs)} must be > 0 (was {F(MaxP99LatencyMs)}).");
        if (!(MaxErrorRate >= 0 && MaxErrorRate <= 1)) errors.Add($"{nameof(MaxErrorRate)} must be in [0, 1] (was {F(MaxErrorRate)}).");
        if (!(MinThroughputPerSecond >= 0) || !double.IsFinite(MinThroughputPerSecond)) errors.Add($"{nameof(MinThroughputPerSecond)} must be >= 0 (was {F(MinThroughputPerSecond)}).");
        if (!(RollbackErrorRate >= 0 && RollbackErrorRate <= 1)) errors.Add($"{nameof(RollbackErrorRate)} must be in [0, 1] (was {F(RollbackErrorRate)}).");
        if (RollbackMinCalls <= 0) errors.Add($"{nameof(RollbackMinCalls)} must be > 0 (was {F(RollbackMinCalls)}).");
        if (LatencySampleSize <= 0) errors.Add($"{nameof(LatencySampleSize)} must be > 0 (was {F(LatencySampleSize)}).");
        if (HistorySize <= 0) errors.Add($"{nameof(HistorySize)} must be > 0 (was {F(HistorySize)}).");
        if (string.IsNullOrWhiteSpace(AlertAudience)) errors.Add($"{nameof(AlertAudience)} must not be empty (was '{AlertAudience}').");
        if (string.IsNullOrWhiteSpace(ApprovalAudience)) errors.Add($"{nameof(ApprovalAudience)} must not be empty (was '{ApprovalAudience}').");
        return errors;
    }

    /// <summary>Throws <see cref="DegradationOptionsException"/> naming every invalid option.</summary>
    public void ValidateAndThrow()
    {
        var errors = Validate();
        if (errors.Count > 0) throw new DegradationOptionsException(errors);
    }

    private static string F(double value) => value.ToString(CultureInfo.InvariantCulture);
}
