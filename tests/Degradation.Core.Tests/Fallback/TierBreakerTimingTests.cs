using Microsoft.Extensions.Time.Testing;
using Degradation.Testing;

namespace Degradation.Tests.Fallback;

/// <summary>The fallback tiers' breaker follows the same timing rules as the component breaker (one breaker core).</summary>
public sealed class TierBreakerTimingTests
{
    private static readonly TimeSpan Break = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider _time = new(FakeTimeProviderExtensions.TestStart);
    private readonly ScriptedSource _primary;
    private readonly ScriptedSource _cache;
    private TaskCompletionSource<int>? _hung;
    private bool _secondaryFailing = true;
    private int _secondaryCalls;

    public TierBreakerTimingTests()
    {
        _primary = new ScriptedSource("primary", 100, _time) { Failing = true };
        _cache = new ScriptedSource("cache", 80, _time);
    }

    /// <summary>The secondary fails, hangs (until the test completes <see cref="_hung"/>) or answers.</summary>
    private ValueTask<int> Secondary(CancellationToken cancellationToken)
    {
        _secondaryCalls++;
        if (_hung is { } hung)
        {
            _hung = null;
            return new ValueTask<int>(hung.Task.WaitAsync(cancellationToken));
        }
        if (_secondaryFailing) throw new InvalidOperationException("secondary down");
        return new ValueTask<int>(90);
    }

    private FallbackChain<int> Chain(FallbackChainOptions? options = null) =>
        new FallbackChainBuilder<int>("quotes")
            .Primary(_primary.Handle).Secondary(Secondary).Cache(_cache.Handle)
            .WithOptions(options ?? new FallbackChainOptions { AutoRestore = false, BreakDuration = Break })
            .Build(_time);

    private static FallbackResult<int> Run(FallbackChain<int> chain) => chain.ExecuteAsync().AsTask().GetAwaiter().GetResult();

    private void BreakSecondary(FallbackChain<int> chain)
    {
        for (var i = 0; i < 3; i++) Run(chain);
        Assert.True(chain.GetStatus().Tiers[1].IsBroken);
        Assert.Equal("cache", chain.ActiveTier!.Name);
    }

    [Fact]
    public void A_trial_call_that_never_answers_does_not_leave_the_tier_broken_forever()
    {
        var chain = Chain();
        BreakSecondary(chain);
        _time.Advance(Break);
        _hung = new TaskCompletionSource<int>();
        var hung = _hung;
        var stuck = chain.ExecuteAsync().AsTask();          // the trial call, hanging
        Assert.False(stuck.IsCompleted);
        var calls = _secondaryCalls;

        _time.Advance(Break - TimeSpan.FromTicks(1));
        Assert.Equal("cache", Run(chain).TierName);          // the trial still has time: no second trial
        Assert.Equal(calls, _secondaryCalls);
        _time.Advance(TimeSpan.FromTicks(1));                // the trial's deadline: the tier rests again, for a full break
        Assert.Equal("cache", Run(chain).TierName);
        Assert.Equal(calls, _secondaryCalls);
        _time.Advance(Break);
        _secondaryFailing = false;
        Assert.Equal("secondary", Run(chain).TierName);      // a fresh trial, answered: failed back
        Assert.Equal(calls + 1, _secondaryCalls);
        Assert.Equal("secondary", chain.ActiveTier!.Name);

        hung.SetException(new TimeoutException("finally gave up")); // the old trial's late failure changes nothing
        Assert.Equal("cache", stuck.GetAwaiter().GetResult().TierName);
        Assert.False(chain.GetStatus().Tiers[1].IsBroken);
        Assert.Equal("secondary", chain.ActiveTier!.Name);
    }

    [Fact]
    public async Task A_cancelled_trial_gives_its_slot_back_within_the_same_break()
    {
        var chain = Chain();
        BreakSecondary(chain);
        _time.Advance(Break);
        _hung = new TaskCompletionSource<int>();
        using var cts = new CancellationTokenSource();
        var cancelled = chain.ExecuteAsync(cts.Token).AsTask();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        _secondaryFailing = false;
        Assert.Equal("secondary", Run(chain).TierName); // the next call takes the trial at once
    }

    [Fact]
    public void The_primarys_break_ends_exactly_on_the_tick()
    {
        var chain = Chain(new FallbackChainOptions { BreakDuration = TimeSpan.FromMilliseconds(43) });
        for (var i = 0; i < 3; i++) Run(chain);
        Assert.Equal(PrimaryTierState.Broken, chain.PrimaryState);
        var brokenAt = chain.GetTransitions().Last(t => t.Kind == FallbackTransitionKind.TierBroken && t.ToTier == "primary").Timestamp;
        _time.Advance(TimeSpan.FromTicks(brokenAt + 429_999 - _time.GetTimestamp()));
        Assert.Equal(PrimaryTierState.Broken, chain.EvaluateRestoration());
        _time.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(PrimaryTierState.Restoring, chain.EvaluateRestoration());
    }

    [Theory]
    [InlineData(4_294_967_295L, "must be at most 49.17:02:47.2940000 (the longest timer delay) (was 49.17:02:47.2950000).")]
    [InlineData(60 * 86_400_000L, "must be at most 49.17:02:47.2940000 (the longest timer delay) (was 60.00:00:00).")]
    [InlineData(long.MaxValue / TimeSpan.TicksPerMillisecond, "must be at most 49.17:02:47.2940000 (the longest timer delay) (was 10675199.02:48:05.4770000).")]
    [InlineData(-1L, "must be >= 0 (was -00:00:00.0010000).")]
    public void A_break_beyond_the_bound_is_rejected_naming_the_option_the_bound_and_the_value(long milliseconds, string rule)
    {
        var error = Assert.Throws<DegradationOptionsException>(() => Chain(new FallbackChainOptions { BreakDuration = TimeSpan.FromMilliseconds(milliseconds) }));
        Assert.Equal($"FallbackChainOptions:BreakDuration {rule}", Assert.Single(error.Failures));
    }

    [Fact]
    public void The_longest_break_is_accepted()
    {
        var chain = Chain(new FallbackChainOptions { BreakDuration = TimeSpan.FromMilliseconds(4_294_967_294) });
        BreakSecondary(chain);
        _time.Advance(TimeSpan.FromMilliseconds(4_294_967_294) - TimeSpan.FromTicks(1));
        _secondaryFailing = false;
        Assert.Equal("cache", Run(chain).TierName);
        _time.Advance(TimeSpan.FromTicks(1));
        Assert.Equal("secondary", Run(chain).TierName);
    }
}
