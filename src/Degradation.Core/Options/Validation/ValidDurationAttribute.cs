using System.ComponentModel.DataAnnotations;
using Degradation.Breakers;

namespace Degradation;

/// <summary>
/// A duration option: greater than zero (or zero too, with <see cref="AllowZero"/>) and at most ten years, far beyond
/// any sane threshold and well inside what timers and date arithmetic accept; a duration that arms a single timer
/// (<see cref="TimerDelay"/>) at most <see cref="MaximumTimerDelay"/>. The error names the key path and the value.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field, AllowMultiple = false)]
public sealed class ValidDurationAttribute : ValidationAttribute
{
    /// <summary>The longest duration an option accepts: ten years.</summary>
    public static TimeSpan Maximum { get; } = TimeSpan.FromDays(3650);

    /// <summary>The longest delay one <see cref="TimeProvider"/> timer accepts: 4,294,967,294 ms, about 49.7 days.</summary>
    public static TimeSpan MaximumTimerDelay => BreakerTime.MaxTimerDelay;

    /// <summary>Zero is a valid value (e.g. "no minimum dwell").</summary>
    public bool AllowZero { get; set; }

    /// <summary>The duration arms one timer, so it is at most <see cref="MaximumTimerDelay"/> rather than <see cref="Maximum"/>.</summary>
    public bool TimerDelay { get; set; }

    /// <inheritdoc />
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        ArgumentNullException.ThrowIfNull(validationContext);
        if (value is not TimeSpan duration) return ValidationResult.Success; // null for an optional duration
        var error = Check(duration, AllowZero, TimerDelay ? MaximumTimerDelay : Maximum);
        return error is null ? ValidationResult.Success
            : new ValidationResult($"{OptionsKey.Of(validationContext)} {error}");
    }

    /// <summary>The rule, without the key: null when valid, else e.g. <c>must be &gt; 0 (was -00:00:01)</c>.</summary>
    internal static string? Check(TimeSpan duration, bool allowZero) => Check(duration, allowZero, Maximum);

    /// <summary>The rule with an upper bound of <paramref name="maximum"/>, without the key.</summary>
    internal static string? Check(TimeSpan duration, bool allowZero, TimeSpan maximum)
    {
        if (allowZero ? duration < TimeSpan.Zero : duration <= TimeSpan.Zero)
            return $"must be {(allowZero ? ">=" : ">")} 0 (was {OptionsKey.Format(duration)}).";
        if (duration > maximum)
            return $"must be at most {OptionsKey.Format(maximum)}{(maximum == BreakerTime.MaxTimerDelay ? " (the longest timer delay)" : "")} (was {OptionsKey.Format(duration)}).";
        return null;
    }
}
