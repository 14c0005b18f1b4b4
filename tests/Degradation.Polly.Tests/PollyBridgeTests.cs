using Microsoft.Extensions.Time.Testing;
using Degradation.Polly;
using Degradation.Testing;
using Polly;
using Polly.CircuitBreaker;

namespace Degradation.Tests;

public class PollyBridgeTests
{
    private static DegradationSystem NormalSystem(out FakeTimeProvider time)
    {
        time = new FakeTimeProvider(FakeTimeProviderExtensions.TestStart);
        return NormalSystems.Create(time, new DegradationOptions { Recovery = { StablePeriod = TimeSpan.FromSeconds(1) }, SafeMode = { MinDwell = TimeSpan.FromSeconds(1) } }, heartbeatTtl: TimeSpan.FromHours(1));
    }

    private static ResiliencePipeline Pipeline(DegradationSystem system, FakeTimeProvider time, ReasonCode reason, EventType type = EventType.FailCritical) =>
        new ResiliencePipelineBuilder { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = 0.5,
                MinimumThroughput = 2,
                SamplingDuration = TimeSpan.FromSeconds(10),
                BreakDuration = TimeSpan.FromSeconds(1),
                ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>(),
            }.ReportTo(system, ComponentId.Broker, reason, type))
            .Build();

    [Fact]
    public async Task Opening_the_Polly_breaker_closes_the_gate_and_closing_it_recovers_the_component()
    {
        await using var system = NormalSystem(out var time);
        var pipeline = Pipeline(system, time, ReasonCode.BrokerDisconnect);

        for (var i = 0; i < 2; i++)
            Assert.Throws<HttpRequestException>(() => pipeline.Execute(() => throw new HttpRequestException("broker REST 503")));
        // broker.disconnect is must-deliver: the gate is closed as soon as the breaker's OnOpened has published.
        Assert.Equal(SystemMode.SafeModeDisconnected, system.Gate.Mode);
        Assert.False(system.Gate.Allows(ActionType.Send));
        Assert.Throws<BrokenCircuitException>(() => pipeline.Execute(() => { }));

        time.Advance(TimeSpan.FromSeconds(1.5));
        pipeline.Execute(() => { }); // half-open trial succeeds -> closed
        system.Bus.ProcessPending();
        var broker = system.StateMachine.GetComponent(ComponentId.Broker)!;
        Assert.Empty(broker.Conditions);
        Assert.Equal(ComponentLevel.Healthy, broker.Level);
        // Leaving SafeModeDisconnected is earned: dwell, then a staged recovery run.
        time.Advance(TimeSpan.FromSeconds(1));
        system.StateMachine.Tick();
        Assert.Equal(SystemMode.Recovering, system.Gate.Mode);
    }

    [Fact]
    public async Task A_support_reason_degrades_without_closing_the_gate()
    {
        await using var system = NormalSystem(out var time);
        var pipeline = Pipeline(system, time, new ReasonCode("broker.rest_errors"), EventType.FailSupport);
        for (var i = 0; i < 2; i++)
            Assert.Throws<HttpRequestException>(() => pipeline.Execute(() => throw new HttpRequestException("boom")));
        system.Bus.ProcessPending();
        Assert.Equal(SystemMode.Degraded, system.Gate.Mode);
        Assert.True(system.Gate.Allows(ActionType.Send));
    }

    [Fact]
    public async Task Existing_handlers_still_run_and_bad_arguments_are_named()
    {
        await using var system = DegradationSystem.Create();
        var opened = 0;
        var options = new CircuitBreakerStrategyOptions { OnOpened = _ => { opened++; return default; } };
        options.ReportTo(system, ComponentId.Broker, ReasonCode.BrokerDisconnect);
        Assert.NotNull(options.OnOpened);
        Assert.Equal("reason", Assert.Throws<ArgumentException>(() => new CircuitBreakerStrategyOptions().ReportTo(system, ComponentId.Broker, default)).ParamName);
        Assert.Equal("failureType", Assert.Throws<ArgumentOutOfRangeException>(() => new CircuitBreakerStrategyOptions().ReportTo(system, ComponentId.Broker, ReasonCode.BrokerDisconnect, EventType.Heartbeat)).ParamName);
        Assert.Equal("bus", Assert.Throws<ArgumentNullException>(() => new CircuitBreakerStrategyOptions().ReportTo((EventBus)null!, ComponentId.Broker, ReasonCode.BrokerDisconnect)).ParamName);
    }

    [Fact]
    public async Task Existing_OnOpened_handler_runs_before_the_report()
    {
        await using var system = NormalSystem(out var time);
        var modeSeenByUserHandler = (SystemMode?)null;
        var options = new CircuitBreakerStrategyOptions
        {
            MinimumThroughput = 2, FailureRatio = 0.5, BreakDuration = TimeSpan.FromSeconds(1),
            OnOpened = _ => { modeSeenByUserHandler = system.Gate.Mode; return default; },
        }.ReportTo(system, ComponentId.Broker, ReasonCode.BrokerDisconnect);
        var pipeline = new ResiliencePipelineBuilder { TimeProvider = time }.AddCircuitBreaker(options).Build();
        for (var i = 0; i < 2; i++) Assert.Throws<InvalidOperationException>(() => pipeline.Execute(new Action(() => throw new InvalidOperationException())));
        Assert.Equal(SystemMode.Normal, modeSeenByUserHandler);
        Assert.Equal(SystemMode.SafeModeDisconnected, system.Gate.Mode);
    }
}
