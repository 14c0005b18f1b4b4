using Microsoft.Extensions.Time.Testing;

namespace Degradation.Testing;

/// <summary>What the suite's tests add to <see cref="FakeTimeProvider"/>: a fixed start date and advancing in steps.</summary>
public static class FakeTimeProviderExtensions
{
    /// <summary>The date every test clock starts at (a Monday morning, so calendars and logs read naturally).</summary>
    public static readonly DateTimeOffset TestStart = new(2026, 1, 26, 9, 30, 0, TimeSpan.Zero);

    /// <summary>Advances in steps of <paramref name="step"/> until <paramref name="total"/> has passed (each step fires the timers that fall due in it).</summary>
    public static void AdvanceInSteps(this FakeTimeProvider time, TimeSpan total, TimeSpan step)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(step, TimeSpan.Zero);
        for (var passed = TimeSpan.Zero; passed < total; passed += step) time.Advance(step);
    }
}
