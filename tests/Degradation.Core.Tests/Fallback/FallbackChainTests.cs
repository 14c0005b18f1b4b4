using Microsoft.Extensions.Time.Testing;
using System.Runtime.CompilerServices;
using Degradation.Testing;

namespace Degradation.Tests.Fallback;

public class FallbackChainTests
{
    private readonly FakeTimeProvider _time = new(FakeTimeProviderExtensions.TestStart);
    private readonly ScriptedSource _primary;
    private readonly ScriptedSource _secondary;
    private readonly ScriptedSource _cache;

    public FallbackChainTests()
    {
        _primary = new ScriptedSource("primary", 100, _time);
        _secondary = new ScriptedSource("secondary", 90, _time);
        _cache = new ScriptedSource("cache", 80, _time);
    }

    private FallbackChain<int> Chain(FallbackChainOptions? options = null, AuditTrail? audit = null, AlertRouter? alerts = null) =>
        new FallbackChainBuilder<int>("quotes")
            .Primary(_primary.Handle).Secondary(_secondary.Handle).Cache(_cache.Handle)
            .Static(30).Error(-1)
            .WithOptions(options ?? new FallbackChainOptions())
            .Build(_time, audit, alerts);

    private static FallbackResult<int> Run(FallbackChain<int> chain) => chain.ExecuteAsync().AsTask().GetAwaiter().GetResult();

    [Fact]
    public void The_primary_answers_at_full_quality()
    {
        var result = Run(Chain());
        Assert.True(result.Succeeded);
        Assert.True(result.IsPrimary);
        Assert.Equal((100, "primary", 100, FallbackTierKind.Primary), (result.Value, result.TierName, result.Quality, result.Tier!.Kind));
    }

    [Fact]
    public void Tiers_carry_default_qualities_and_approval_rules()
    {
        var chain = Chain();
        Assert.Equal([100, 90, 80, 30, 0], chain.Tiers.Select(t => t.Quality));
        Assert.Equal([false, false, false, true, false], chain.Tiers.Select(t => t.RequiresApproval));
        Assert.Equal(60, FallbackTierDefaults.Quality(FallbackTierKind.Degraded));
        Assert.True(FallbackTierDefaults.RequiresApproval(FallbackTierKind.Degraded));
    }

    [Fact]
    public void A_failing_primary_call_is_answered_by_the_next_tier_and_says_so()
    {
        var chain = Chain();
        _primary.Failing = true;
        var result = Run(chain);
        Assert.True(result.IsFallback);
        Assert.Equal(("secondary", 90, 90), (result.TierName, result.Quality, result.Value));
        Assert.Equal(PrimaryTierState.Active, chain.PrimaryState); // one failure does not break it
    }

    [Fact]
    public void Three_consecutive_failures_break_the_primary_and_fail_over_automatically()
    {
        var audit = new AuditTrail(_time);
        var chain = Chain(audit: audit);
        _primary.Failing = true;
        for (var i = 0; i < 3; i++) Run(chain);
        Assert.Equal(PrimaryTierState.Broken, chain.PrimaryState);
        Assert.Equal("secondary", chain.ActiveTier!.Name);

        var callsBefore = _primary.Calls;
        Assert.Equal("secondary", Run(chain).TierName);
        Assert.Equal(callsBefore, _primary.Calls); // a broken primary is not called
        Assert.Contains(chain.GetTransitions(), t => t.Kind == FallbackTransitionKind.TierBroken && t.ToTier == "primary");
        Assert.Contains(chain.GetTransitions(), t => t.Kind == FallbackTransitionKind.FailedOver && t.FromTier == "primary" && t.ToTier == "secondary");
        Assert.Contains(audit.GetEntries(), e => e.Record.Action == "fallback.failed_over" && e.Record.Component == "quotes" && e.Record.To == "secondary");
    }

    [Fact]
    public void A_success_resets_the_run_of_failures()
    {
        var chain = Chain();
        _primary.FailWhen = n => n % 3 != 0; // fail, fail, succeed, ...
        for (var i = 0; i < 30; i++) Run(chain);
        Assert.Equal(PrimaryTierState.Active, chain.PrimaryState);
    }

    [Fact]
    public void A_broken_fallback_tier_gets_one_trial_call_after_its_break_and_fails_back_when_it_answers()
    {
        var chain = Chain();
        _primary.Failing = true;
        _secondary.Failing = true;
        for (var i = 0; i < 3; i++) Run(chain);
        Assert.Equal("cache", chain.ActiveTier!.Name);
        Assert.Equal("cache", Run(chain).TierName);

        _secondary.Failing = false;
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal("cache", Run(chain).TierName);  // still resting
        _time.Advance(TimeSpan.FromSeconds(1));
        // The primary's restoration starts now too; it still fails, so the answer comes from the secondary's trial call.
        var result = Run(chain);
        Assert.Equal("secondary", result.TierName);
        Assert.Equal("secondary", chain.ActiveTier!.Name);
        Assert.Contains(chain.GetTransitions(), t => t.Kind == FallbackTransitionKind.FailedBack && t.FromTier == "cache" && t.ToTier == "secondary");
    }

    [Fact]
    public void A_failed_trial_call_keeps_the_tier_broken_for_another_break()
    {
        var chain = Chain(new FallbackChainOptions { AutoRestore = false });
        _primary.Failing = true;
        _secondary.Failing = true;
        for (var i = 0; i < 3; i++) Run(chain);
        _time.Advance(TimeSpan.FromSeconds(30));
        var secondaryCalls = _secondary.Calls;
        Assert.Equal("cache", Run(chain).TierName); // trial failed, cache answered
        Assert.Equal(secondaryCalls + 1, _secondary.Calls);
        Assert.Equal("cache", Run(chain).TierName);
        Assert.Equal(secondaryCalls + 1, _secondary.Calls); // not tried again before another break
    }

    [Fact]
    public void When_every_tier_fails_the_result_says_so_and_carries_the_last_failure()
    {
        var chain = new FallbackChainBuilder<int>("orders").Primary(_primary.Handle).Secondary(_secondary.Handle).Build(_time);
        _primary.Failing = true;
        _secondary.Failing = true;
        var result = Run(chain);
        Assert.False(result.Succeeded);
        Assert.Null(result.Tier);
        Assert.Equal(0, result.Quality);
        Assert.Contains("orders", result.Error!.Message);
        Assert.Contains("secondary failed", result.Error.InnerException!.Message);
        Assert.Throws<FallbackChainExhaustedException>(() => result.GetValueOrThrow());
    }

    [Fact]
    public void Exhausting_every_usable_tier_is_recorded_and_alerted()
    {
        var router = new AlertRouter(timeProvider: _time);
        var chain = new FallbackChainBuilder<int>("orders").Primary(_primary.Handle).Secondary(_secondary.Handle).Build(_time, alerts: router);
        _primary.Failing = true;
        _secondary.Failing = true;
        for (var i = 0; i < 3; i++) Run(chain);
        Assert.Null(chain.ActiveTier);
        Assert.Contains(chain.GetTransitions(), t => t.Kind == FallbackTransitionKind.Exhausted);
        Assert.Equal(2, router.PublishedCount); // failover to secondary, then exhausted
    }

    [Fact]
    public async Task The_callers_cancellation_propagates_and_is_not_a_tier_failure()
    {
        var chain = new FallbackChainBuilder<int>("c")
            .Primary(ct => { ct.ThrowIfCancellationRequested(); return new ValueTask<int>(1); })
            .Secondary(_secondary.Handle).Build(_time);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        for (var i = 0; i < 5; i++)
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => chain.ExecuteAsync(cts.Token).AsTask());
        Assert.Equal(PrimaryTierState.Active, chain.PrimaryState);
        Assert.Equal(0, _secondary.Calls);
        Assert.Equal(0, chain.GetStatus().Tiers[0].Failures);
    }

    [Fact]
    public async Task Asynchronous_tiers_work_and_their_failures_count()
    {
        var fails = true;
        var chain = new FallbackChainBuilder<string>("async")
            .Primary(async ct => { await Task.Yield(); return fails ? throw new TimeoutException("slow") : "p"; })
            .Secondary(async ct => { await Task.Yield(); return "s"; })
            .Build(_time);
        Assert.Equal("s", (await chain.ExecuteAsync()).Value);
        fails = false;
        var result = await chain.ExecuteAsync();
        Assert.Equal(("p", true), (result.Value, result.IsPrimary));
        Assert.Equal(1, chain.GetStatus().Tiers[0].Failures);
    }

    [Fact]
    public void A_tier_that_throws_synchronously_is_a_failure_too()
    {
        var chain = new FallbackChainBuilder<int>("sync")
            .Tier(FallbackTier<int>.FromFunc("primary", FallbackTierKind.Primary, () => throw new InvalidOperationException("boom")))
            .Error(-1).Build(_time);
        Assert.Equal(("error", -1, 0), (Run(chain).TierName, Run(chain).Value, Run(chain).Quality));
        Assert.Equal(PrimaryTierState.Broken, chain.PrimaryState);
    }

    [Fact]
    public void The_primary_path_allocates_nothing()
    {
        var chain = new FallbackChainBuilder<int>("hot").Primary(_ => new ValueTask<int>(42)).Error(-1).Build(_time);
        var served = new StrongBox<int>();
        Assert.Equal(0, Allocations.AfterWarmUp((chain, served), static s => s.served.Value += s.chain.ExecuteAsync().Result.Value));
        Assert.Equal(2 * 420_000, served.Value); // every call, warm-up and measured, took the primary
    }

    [Fact]
    public void Bad_chains_and_options_are_rejected_with_names()
    {
        Assert.Contains("two tiers named 'primary'", Assert.Throws<ArgumentException>(() =>
            new FallbackChainBuilder<int>("x").Primary(_primary.Handle).Primary(_primary.Handle).Build()).Message);
        Assert.Contains("cannot require approval", Assert.Throws<ArgumentException>(() =>
            new FallbackChainBuilder<int>("x").Static(1).Build()).Message);
        Assert.Contains("at least one tier", Assert.Throws<ArgumentException>(() => new FallbackChainBuilder<int>("x").Build()).Message);
        Assert.Equal("quality", Assert.Throws<ArgumentOutOfRangeException>(() => new FallbackTier<int>("t", FallbackTierKind.Cache, _cache.Handle, quality: 101)).ParamName);

        var ex = Assert.Throws<DegradationOptionsException>(() => Chain(new FallbackChainOptions
        {
            FailureThreshold = 0, MaxErrorRate = 2, RestorationRamp = [new(25, TimeSpan.FromSeconds(10)), new(10, TimeSpan.FromSeconds(10)), new(50, TimeSpan.FromSeconds(-1))],
        }));
        Assert.Equal(
            [
                "FallbackChainOptions:FailureThreshold must be >= 1 (was 0).",
                "FallbackChainOptions:MaxErrorRate must be within [0, 1] (was 2).",
                "FallbackChainOptions:RestorationRamp:1:TrafficPercent (10) must be above the previous step's (25).",
                "FallbackChainOptions:RestorationRamp:2:Duration must be >= 0 (was -00:00:01).",
                "FallbackChainOptions:RestorationRamp:2:TrafficPercent: the last step must send 100 % of traffic (was 50).",
            ],
            ex.Failures);
    }
}
