using Degradation.Testing;

namespace Degradation.Tests.Breakers;

/// <summary>A component breaker on a <see cref="ControlledTimeProvider"/> (timers on time, late or never), recording its announced changes.</summary>
internal sealed class BreakerRig : IDisposable
{
    public static readonly ComponentId Component = new("quotes-api");

    public BreakerRig(TimerFiring firing = TimerFiring.OnTime, Action<ComponentBreakerOptions>? configure = null, EventBus? bus = null)
    {
        Time = new ControlledTimeProvider(firing);
        Options = new ComponentBreakerOptions
        {
            FailureRatio = 0.5, MinimumThroughput = 2, SamplingDuration = TimeSpan.FromDays(1), WindowBuckets = 1, // a window that stays put
            BreakDuration = TimeSpan.FromSeconds(5), HalfOpenTrialCalls = 1,
        };
        configure?.Invoke(Options);
        StartTimestamp = Time.GetTimestamp();
        StartWallTime = Time.GetUtcNow();
        Breaker = new ComponentCircuitBreaker(Component, Options, new DegradationPolicy(new DegradationOptions()), bus, Time);
        Breaker.StateChanged += c => { lock (Changes) Changes.Add(c); };
    }

    public ControlledTimeProvider Time { get; }
    public ComponentBreakerOptions Options { get; }
    public ComponentCircuitBreaker Breaker { get; }
    public List<BreakerStateChange> Changes { get; } = [];
    public long StartTimestamp { get; }
    public DateTimeOffset StartWallTime { get; }

    /// <summary>Timestamp ticks since the rig was built (the clock counts TimeSpan ticks).</summary>
    public long Elapsed => Time.GetTimestamp() - StartTimestamp;

    /// <summary>The wall time <paramref name="ticks"/> after the start.</summary>
    public DateTimeOffset WallAt(long ticks) => StartWallTime + TimeSpan.FromTicks(ticks);

    public BreakerStateChange LastChange { get { lock (Changes) return Changes[^1]; } }

    public void Call(bool success)
    {
        Assert.True(Breaker.TryAcquire(out var permit), $"call refused in {Breaker.State}");
        Assert.False(permit.IsTrial);
        Breaker.Record(permit, success);
    }

    /// <summary>Opens it with failures only (the minimum throughput of them); returns the ticks at which it opened.</summary>
    public long Open()
    {
        for (var i = 0; i < Options.MinimumThroughput; i++) Call(success: false);
        Assert.Equal(BreakerState.Open, Breaker.State);
        return Elapsed;
    }

    public void Dispose() => Breaker.Dispose();
}
