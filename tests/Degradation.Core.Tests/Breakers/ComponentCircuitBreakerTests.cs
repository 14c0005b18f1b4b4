using Microsoft.Extensions.Time.Testing;
using System.Runtime.CompilerServices;
using Degradation.Testing;
using Degradation.Tests.Scenarios;

namespace Degradation.Tests.Breakers;

public sealed class ComponentCircuitBreakerTests : IAsyncLifetime
{
    private static readonly ComponentId Pricing = new("pricing-api");
    private readonly FakeTimeProvider _time = new(FakeTimeProviderExtensions.TestStart);
    private readonly DegradationSystem _system;
    private readonly List<SystemEvent> _events = [];
    private readonly List<BreakerStateChange> _changes = [];

    public ComponentCircuitBreakerTests()
    {
        _system = TestSystems.Create(_time);
        _system.Bus.Subscribe(e => _events.Add(e));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>xunit calls this after each test (it never calls <see cref="IAsyncDisposable"/> on a test class).</summary>
    public async Task DisposeAsync() => await _system.DisposeAsync();

    private ComponentCircuitBreaker Create(Action<ComponentBreakerOptions>? configure = null, ComponentId? component = null, TimeProvider? time = null)
    {
        var options = new ComponentBreakerOptions
        {
            FailureRatio = 0.5, MinimumThroughput = 4, SamplingDuration = TimeSpan.FromSeconds(10), WindowBuckets = 10,
            BreakDuration = TimeSpan.FromSeconds(5), HalfOpenTrialCalls = 2,
        };
        configure?.Invoke(options);
        var breaker = new ComponentCircuitBreaker(component ?? Pricing, options, _system.Policy, _system.Bus, time ?? _time);
        breaker.StateChanged += c => _changes.Add(c);
        return breaker;
    }

    private static void Call(ComponentCircuitBreaker breaker, bool success)
    {
        Assert.True(breaker.TryAcquire(out var permit), $"call refused in {breaker.State}");
        breaker.Record(permit, success);
    }

    private static void Open(ComponentCircuitBreaker breaker)
    {
        for (var i = 0; i < 4; i++) Call(breaker, success: false);
        Assert.Equal(BreakerState.Open, breaker.State);
    }

    [Fact]
    public void Opens_when_the_failure_ratio_is_reached_with_the_minimum_throughput_and_publishes_the_failure()
    {
        using var breaker = Create();
        Call(breaker, true);
        Call(breaker, true);
        Call(breaker, false);
        Assert.Equal(BreakerState.Closed, breaker.State); // 3 calls: below the minimum throughput
        Call(breaker, false);                              // 2 of 4 failed = 50 %
        Assert.Equal(BreakerState.Open, breaker.State);
        Assert.False(breaker.TryAcquire(out _));

        _system.Bus.ProcessPending();
        var failure = Assert.Single(_events, e => e.Component == Pricing);
        Assert.Equal(EventType.FailSupport, failure.Type);
        Assert.Equal(new ReasonCode("pricing-api.circuit_open"), failure.Reason);
        Assert.Contains("2 of 4", failure.Details);
        Assert.Equal(SystemMode.Degraded, _system.StateMachine.GetComponent(Pricing)!.Conditions.Single().Mode);
    }

    [Fact]
    public void A_critical_component_breaker_publishes_FailCritical_with_its_timeout_reason()
    {
        using var breaker = Create(component: ComponentId.Broker);
        Open(breaker);
        Assert.Equal(SystemMode.SafeModeDisconnected, _system.Gate.Mode); // broker.disconnect is must-deliver: the gate closed at once
        _system.Bus.ProcessPending();
        Assert.Contains(_events, e => e.Component == ComponentId.Broker && e.Type == EventType.FailCritical && e.Reason == ReasonCode.BrokerDisconnect);
    }

    [Fact]
    public void Never_opens_below_the_minimum_throughput()
    {
        using var breaker = Create(o => o.MinimumThroughput = 10);
        for (var i = 0; i < 9; i++) Call(breaker, false);
        Assert.Equal(BreakerState.Closed, breaker.State);
    }

    [Fact]
    public void Old_outcomes_slide_out_of_the_window()
    {
        using var breaker = Create();
        for (var i = 0; i < 3; i++) Call(breaker, false);
        _time.Advance(TimeSpan.FromSeconds(10));
        Call(breaker, false);
        Assert.Equal(BreakerState.Closed, breaker.State);
        Assert.Equal(1, breaker.GetSnapshot().WindowCalls);
    }

    [Fact]
    public void Outcomes_inside_the_window_still_count_after_part_of_it_slid()
    {
        using var breaker = Create();
        for (var i = 0; i < 3; i++) Call(breaker, false);
        _time.Advance(TimeSpan.FromSeconds(8));
        Call(breaker, false);
        Assert.Equal(BreakerState.Open, breaker.State);
    }

    [Fact]
    public void Slow_calls_count_as_failures()
    {
        using var breaker = Create(o => o.SlowCallThreshold = TimeSpan.FromSeconds(1));
        for (var i = 0; i < 3; i++)
        {
            Assert.True(breaker.TryAcquire(out var permit));
            breaker.Record(permit, success: true, TimeSpan.FromMilliseconds(999));
        }
        for (var i = 0; i < 3; i++)
        {
            Assert.True(breaker.TryAcquire(out var permit));
            breaker.Record(permit, success: true, TimeSpan.FromSeconds(1));
        }
        Assert.Equal(BreakerState.Open, breaker.State);
        Assert.Equal(3, breaker.GetSnapshot().SlowCalls);
    }

    [Fact]
    public void Open_goes_half_open_on_the_clock_even_when_nobody_calls()
    {
        using var breaker = Create();
        Open(breaker);
        _changes.Clear();

        _time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.Empty(_changes);
        _time.Advance(TimeSpan.FromSeconds(0.1));

        var change = Assert.Single(_changes); // raised by the breaker's own timer, nobody read the state
        Assert.Equal((BreakerState.Open, BreakerState.HalfOpen), (change.From, change.To));
    }

    [Fact]
    public void A_state_read_performs_a_due_transition_even_if_the_timer_is_late()
    {
        using var breaker = Create(time: new SilentTimersTimeProvider(_time));
        for (var i = 0; i < 4; i++) Call(breaker, false);
        Assert.Equal(BreakerState.Open, breaker.State);

        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(BreakerState.HalfOpen, breaker.State); // not stuck open (the Polly trap)
        Assert.True(breaker.TryAcquire(out var trial));
        Assert.True(trial.IsTrial);
    }

    [Fact]
    public void Half_open_admits_a_limited_number_of_trials_and_closes_when_all_succeed()
    {
        using var breaker = Create(o => o.HalfOpenTrialCalls = 2);
        Open(breaker);
        _time.Advance(TimeSpan.FromSeconds(5));
        _system.Bus.ProcessPending();
        _events.Clear();

        Assert.True(breaker.TryAcquire(out var first));
        Assert.True(breaker.TryAcquire(out var second));
        Assert.False(breaker.TryAcquire(out _));
        breaker.Record(first, true);
        Assert.Equal(BreakerState.HalfOpen, breaker.State);
        breaker.Record(second, true);

        Assert.Equal(BreakerState.Closed, breaker.State);
        Assert.Equal(0, breaker.GetSnapshot().WindowCalls); // closing starts a fresh window
        _system.Bus.ProcessPending();
        var recovered = Assert.Single(_events);
        Assert.Equal((EventType.Recovered, Pricing), (recovered.Type, recovered.Component));
        Assert.Empty(_system.StateMachine.GetComponent(Pricing)!.Conditions);
    }

    [Fact]
    public void A_failed_trial_reopens_for_another_break()
    {
        using var breaker = Create();
        Open(breaker);
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.True(breaker.TryAcquire(out var trial));
        breaker.Record(trial, false);

        Assert.Equal(BreakerState.Open, breaker.State);
        _time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.Equal(BreakerState.Open, breaker.State);
        _time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal(BreakerState.HalfOpen, breaker.State);
    }

    [Fact]
    public void Trials_that_never_report_reopen_the_breaker_but_an_idle_half_open_breaker_waits()
    {
        using var breaker = Create();
        Open(breaker);
        _time.Advance(TimeSpan.FromSeconds(5));
        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(BreakerState.HalfOpen, breaker.State); // nobody called: still waiting for trials

        Assert.True(breaker.TryAcquire(out _)); // a trial that never reports
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(BreakerState.Open, breaker.State);
    }

    [Fact]
    public void Isolate_refuses_calls_publishes_the_failure_and_stays_until_reset()
    {
        using var breaker = Create();
        breaker.Isolate("ops-1", "vendor maintenance");

        Assert.Equal(BreakerState.Isolated, breaker.State);
        Assert.False(breaker.TryAcquire(out _));
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(BreakerState.Isolated, breaker.State);
        Assert.Equal("ops-1", breaker.GetSnapshot().IsolatedBy);
        _system.Bus.ProcessPending();
        Assert.Contains(_events, e => e.Component == Pricing && e.Details!.Contains("isolated by ops-1: vendor maintenance"));

        breaker.Reset("ops-1", "maintenance over");
        Assert.Equal(BreakerState.Closed, breaker.State);
        Assert.True(breaker.TryAcquire(out _));
        _system.Bus.ProcessPending();
        Assert.Equal(EventType.Recovered, _events[^1].Type);
    }

    [Fact]
    public void A_stale_break_timer_cannot_move_an_isolated_breaker_to_half_open()
    {
        // resilience4j #991: the break timer of an earlier opening fired after a forced open and half-opened it.
        using var breaker = Create(time: new LeakyTimersTimeProvider(_time));
        for (var i = 0; i < 4; i++) Call(breaker, false);
        _time.Advance(TimeSpan.FromSeconds(2));
        breaker.Isolate("ops-1", "investigating");

        _time.Advance(TimeSpan.FromSeconds(10)); // the opening's break timer (due at 5 s) still fires

        Assert.Equal(BreakerState.Isolated, breaker.State);
        Assert.True(breaker.GetSnapshot().StaleTimerFirings >= 1);
    }

    [Fact]
    public void An_isolation_ttl_ends_in_half_open_and_a_reset_cancels_it_consistently()
    {
        using var breaker = Create(time: new LeakyTimersTimeProvider(_time));
        breaker.Isolate("ops-1", "short test", TimeSpan.FromSeconds(30));
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(BreakerState.Isolated, breaker.State);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(BreakerState.HalfOpen, breaker.State);

        breaker.Isolate("ops-2", "again", TimeSpan.FromSeconds(30));
        _time.Advance(TimeSpan.FromSeconds(10));
        breaker.Reset("ops-2");
        _time.Advance(TimeSpan.FromSeconds(60)); // the isolation's TTL timer fires stale

        Assert.Equal(BreakerState.Closed, breaker.State);
    }

    [Fact]
    public void Re_isolating_replaces_the_earlier_ttl()
    {
        using var breaker = Create(time: new LeakyTimersTimeProvider(_time));
        breaker.Isolate("ops-1", "first", TimeSpan.FromSeconds(10));
        _time.Advance(TimeSpan.FromSeconds(5));
        breaker.Isolate("ops-1", "longer", TimeSpan.FromSeconds(60));
        _time.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal(BreakerState.Isolated, breaker.State);
        Assert.Equal("longer", breaker.GetSnapshot().IsolationReason);
    }

    [Fact]
    public void Outcomes_of_permits_from_an_earlier_generation_are_ignored()
    {
        using var breaker = Create();
        var stale = new List<BreakerPermit>();
        for (var i = 0; i < 4; i++)
        {
            Assert.True(breaker.TryAcquire(out var permit));
            stale.Add(permit);
        }
        breaker.Isolate("ops-1", "drill");
        breaker.Reset("ops-1");
        foreach (var permit in stale) breaker.Record(permit, false);
        breaker.Record(default, false);

        Assert.Equal(BreakerState.Closed, breaker.State);
        Assert.Equal(0, breaker.GetSnapshot().WindowCalls);
    }

    [Fact]
    public void The_hot_path_allocates_nothing()
    {
        using var breaker = Create(o => o.MinimumThroughput = int.MaxValue);
        var calls = new StrongBox<int>();
        var allocated = Allocations.AfterWarmUp((breaker, calls), static s =>
        {
            if (s.breaker.TryAcquire(out var permit)) s.breaker.Record(permit, s.calls.Value++ % 3 == 0);
        });

        Assert.Equal(0, allocated);
        Assert.Equal(2 * 10_000, calls.Value); // never refused: every call went through the hot path
    }

    [Fact]
    public void Bad_options_are_rejected_with_the_option_named()
    {
        Assert.Contains("FailureRatio", Assert.Throws<ArgumentOutOfRangeException>(() => Create(o => o.FailureRatio = 0)).Message);
        Assert.Contains("MinimumThroughput", Assert.Throws<ArgumentOutOfRangeException>(() => Create(o => o.MinimumThroughput = 0)).Message);
        Assert.Contains("BreakDuration", Assert.Throws<ArgumentOutOfRangeException>(() => Create(o => o.BreakDuration = TimeSpan.Zero)).Message);
        Assert.Contains("HalfOpenTrialCalls", Assert.Throws<ArgumentOutOfRangeException>(() => Create(o => o.HalfOpenTrialCalls = 0)).Message);
        Assert.Contains("SlowCallThreshold", Assert.Throws<ArgumentOutOfRangeException>(() => Create(o => o.SlowCallThreshold = TimeSpan.Zero)).Message);
        Assert.Contains("WindowBuckets", Assert.Throws<ArgumentOutOfRangeException>(() => Create(o => o.WindowBuckets = 0)).Message);
    }

    [Fact]
    public void The_system_extension_wires_bus_policy_and_clock()
    {
        using var breaker = _system.CreateCircuitBreaker(ComponentId.Risk, new ComponentBreakerOptions { MinimumThroughput = 1, FailureRatio = 1 });
        Assert.True(breaker.TryAcquire(out var permit));
        breaker.Record(permit, false);
        _system.Bus.ProcessPending();
        Assert.Contains(_events, e => e.Component == ComponentId.Risk && e.Type == EventType.FailCritical && e.Reason == ReasonCode.RiskTimeout);
    }
}
