using Microsoft.Extensions.Time.Testing;
using Degradation.Testing;

namespace Degradation.Tests.Breakers;

/// <summary>A clock whose timers never fire: simulates a late timer, to prove state reads do not depend on it.</summary>
internal sealed class SilentTimersTimeProvider(FakeTimeProvider inner) : TimeProvider
{
    public override long TimestampFrequency => inner.TimestampFrequency;
    public override long GetTimestamp() => inner.GetTimestamp();
    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) => new SilentTimer();

    private sealed class SilentTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => true;
        public void Dispose() { }
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

/// <summary>
/// A clock whose timers keep firing after Dispose: simulates a callback that was already queued when the timer was
/// cancelled (the resilience4j #991 situation), to prove stale timers are recognised by their generation.
/// </summary>
internal sealed class LeakyTimersTimeProvider(FakeTimeProvider inner) : TimeProvider
{
    public override long TimestampFrequency => inner.TimestampFrequency;
    public override long GetTimestamp() => inner.GetTimestamp();
    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        new LeakyTimer(inner.CreateTimer(callback, state, dueTime, period));

    private sealed class LeakyTimer(ITimer inner) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(dueTime, period);
        public void Dispose() { /* deliberately keeps firing */ }
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
