using System.ComponentModel.DataAnnotations;

namespace Degradation;

/// <summary>
/// Staged recovery and the way back to Normal (section <c>Degradation:Recovery</c>): quiet time, stage timeout,
/// attempts and the backoff between them.
/// </summary>
public sealed class RecoveryOptions : OptionsSection, IValidatableObject
{
    /// <summary>The most delays <see cref="BackoffSchedule"/> may list.</summary>
    public const int MaxScheduleLength = 100;

    /// <summary>Quiet time needed for Degraded → Normal, Recovering/Ready → Normal and for a detector's Recovered verdict.</summary>
    [ValidDuration(AllowZero = true)]
    public TimeSpan StablePeriod { get; set => field = Settable(value); } = TimeSpan.FromSeconds(10);

    /// <summary>Timeout of one recovery stage.</summary>
    [ValidDuration]
    public TimeSpan StageTimeout { get; set => field = Settable(value); } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts per recovery stage before <c>recovery.failed</c> (Halt).</summary>
    [Minimum(1)]
    public int MaxAttempts { get; set => field = Settable(value); } = 3;

    /// <summary>Base of the exponential backoff between recovery attempts.</summary>
    [ValidDuration]
    public TimeSpan BackoffBase { get; set => field = Settable(value); } = TimeSpan.FromSeconds(1);

    /// <summary>Cap of the recovery backoff; not below <see cref="BackoffBase"/>.</summary>
    [ValidDuration]
    public TimeSpan BackoffMax { get; set => field = Settable(value); } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A fixed schedule of recovery retry delays (the last one repeats), e.g. <c>00:00:10</c>, <c>00:00:20</c>, <c>00:01:00</c>.
    /// Empty (the default): exponential backoff from <see cref="BackoffBase"/> capped at <see cref="BackoffMax"/>.
    /// </summary>
    public IList<TimeSpan> BackoffSchedule { get; set => field = Settable(value); } = [];

    /// <summary>Recovering/Ready moves to Normal by itself after <see cref="StablePeriod"/>; otherwise an operator completes it.</summary>
    public bool AutoToNormal { get; set => field = Settable(value); } = true;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        ArgumentNullException.ThrowIfNull(validationContext);
        var prefix = OptionsKey.Prefix(validationContext);
        var errors = new List<ValidationResult>();
        if (BackoffMax < BackoffBase && BackoffBase > TimeSpan.Zero && BackoffMax > TimeSpan.Zero)
            errors.Add(new($"{prefix}{nameof(BackoffMax)} ({OptionsKey.Format(BackoffMax)}) must not be below {prefix}{nameof(BackoffBase)} ({OptionsKey.Format(BackoffBase)})."));
        if (BackoffSchedule is null)
        {
            errors.Add(new($"{prefix}{nameof(BackoffSchedule)} must not be null."));
            return errors;
        }
        if (BackoffSchedule.Count > MaxScheduleLength)
            errors.Add(new($"{prefix}{nameof(BackoffSchedule)} has {OptionsKey.Format(BackoffSchedule.Count)} delays; at most {OptionsKey.Format(MaxScheduleLength)}."));
        for (var i = 0; i < BackoffSchedule.Count; i++)
            if (ValidDurationAttribute.Check(BackoffSchedule[i], allowZero: false) is { } error)
                errors.Add(new($"{prefix}{nameof(BackoffSchedule)}:{OptionsKey.Format(i)} {error}"));
        return errors;
    }

    private protected override void CopyMembers(bool frozen) => BackoffSchedule = CopyOf(BackoffSchedule, frozen);
}
