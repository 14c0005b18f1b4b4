using System.ComponentModel.DataAnnotations;

namespace Degradation.Fallback;

/// <summary>
/// Governance of a <see cref="FallbackChain{T}"/> (docs/RULES.md, Fallback governance): per-tier breaking, failover, approval,
/// and the validated, gradual restoration of the primary with rollback on an error spike. The chain validates these
/// options once and runs on a frozen copy: changing this object afterwards changes nothing.
/// </summary>
public sealed class FallbackChainOptions : OptionsSection, IValidatableObject
{
    /// <summary>Consecutive failures that break a tier (default 3).</summary>
    [Minimum(1)]
    public int FailureThreshold { get; set => field = Settable(value); } = 3;

    /// <summary>
    /// How long a broken tier rests (default 30 s), from zero to the longest timer delay (about 49.7 days): a fallback
    /// tier then gets one trial call, which must answer within the same duration (or the tier rests again; with a zero
    /// break the trial has no time limit); the primary then starts its restoration ramp.
    /// </summary>
    [ValidDuration(AllowZero = true, TimerDelay = true)]
    public TimeSpan BreakDuration { get; set => field = Settable(value); } = TimeSpan.FromSeconds(30);

    /// <summary>Fail over automatically to tiers that do not need approval. When false, every tier after the primary needs an operator's approval.</summary>
    public bool AutoFailover { get; set => field = Settable(value); } = true;

    /// <summary>Start restoring the primary by itself after <see cref="BreakDuration"/>. When false, an operator starts it (<see cref="FallbackChain.BeginRestoration"/>).</summary>
    public bool AutoRestore { get; set => field = Settable(value); } = true;

    /// <summary>
    /// The restoration ramp (default 10 % for 5 min, 25 % for 5 min, 50 % for 10 min, then 100 %). Percentages rise
    /// strictly and the last is 100.
    /// </summary>
    public IList<RestorationRampStep> RestorationRamp { get; set => field = Settable(value); } =
    [
        new(10, TimeSpan.FromMinutes(5)),
        new(25, TimeSpan.FromMinutes(5)),
        new(50, TimeSpan.FromMinutes(10)),
        new(100, TimeSpan.Zero),
    ];

    /// <summary>Validation: consecutive successful primary calls needed at the end of a step (default 3).</summary>
    [Minimum(0)]
    public int MinConsecutivePasses { get; set => field = Settable(value); } = 3;

    /// <summary>Validation: highest p99 latency of the step's primary calls (default 500 ms).</summary>
    [ValidDuration]
    public TimeSpan MaxP99Latency { get; set => field = Settable(value); } = TimeSpan.FromMilliseconds(500);

    /// <summary>Validation: highest error rate of the step's primary calls, 0–1 (default 0.01).</summary>
    [Fraction]
    public double MaxErrorRate { get; set => field = Settable(value); } = 0.01;

    /// <summary>Validation: lowest rate of primary calls per second during the step; 0 disables the check (default 0: a floor such as 100 rps is workload-specific, so the check is off unless set).</summary>
    [Minimum(0)]
    public double MinThroughputPerSecond { get; set => field = Settable(value); }

    /// <summary>Rollback: an error rate of the step's primary calls above this rolls the restoration back (default 0.05) ...</summary>
    [Fraction]
    public double RollbackErrorRate { get; set => field = Settable(value); } = 0.05;

    /// <summary>... once the step has at least this many primary calls. (<see cref="FailureThreshold"/> consecutive failures roll back at any count.)</summary>
    [Minimum(1)]
    public int RollbackMinCalls { get; set => field = Settable(value); } = 20;

    /// <summary>Latency samples kept per step for the p99.</summary>
    [Minimum(1)]
    public int LatencySampleSize { get; set => field = Settable(value); } = 1024;

    /// <summary>Transitions kept in the chain's history.</summary>
    [Minimum(1)]
    public int HistorySize { get; set => field = Settable(value); } = 100;

    /// <summary>Audience of failover, rollback and restoration alerts.</summary>
    public string AlertAudience { get; set => field = Settable(value); } = AlertAudiences.Operators;

    /// <summary>Audience of approval requests (default: management).</summary>
    public string ApprovalAudience { get; set => field = Settable(value); } = AlertAudiences.Management;

    /// <summary>
    /// Checks every value and returns one message per invalid option (empty when valid), each naming the option
    /// (<c>FallbackChainOptions:BreakDuration</c>, <c>FallbackChainOptions:RestorationRamp:2:TrafficPercent</c>) and the bad value.
    /// </summary>
    public IReadOnlyList<string> Validate() => OptionsValidation.Validate(this);

    /// <summary>Throws <see cref="DegradationOptionsException"/> naming every invalid option.</summary>
    public void ValidateAndThrow() => OptionsValidation.ValidateAndThrow(this);

    /// <summary>The rules across values: the ramp's steps and the audiences (the per-value rules are the attributes).</summary>
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        ArgumentNullException.ThrowIfNull(validationContext);
        return RestorationRampRules.Check(RestorationRamp, OptionsKey.Prefix(validationContext) + nameof(RestorationRamp))
            .Concat(Audience(OptionsKey.Prefix(validationContext), nameof(AlertAudience), AlertAudience))
            .Concat(Audience(OptionsKey.Prefix(validationContext), nameof(ApprovalAudience), ApprovalAudience))
            .Select(e => new ValidationResult(e));
    }

    private static IEnumerable<string> Audience(string prefix, string name, string? audience)
    {
        if (string.IsNullOrWhiteSpace(audience)) yield return $"{prefix}{name} must not be empty (was '{audience}').";
    }

    private protected override void CopyMembers(bool frozen) =>
        RestorationRamp = CopyOf(RestorationRamp, frozen, (step, i) => CopyOf(step, frozen, $"{nameof(RestorationRamp)}:{i}"));
}
