using Microsoft.Extensions.Time.Testing;
using System.Collections.Concurrent;
using System.Diagnostics;
using Degradation.Testing;
using Degradation.Tests.Scenarios;

namespace Degradation.Tests.Telemetry;

/// <summary>An <see cref="ActivityListener"/> is process-wide: these tests run alone so other tests' systems add nothing.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TracingCollection
{
    public const string Name = "tracing (not parallel)";
}

/// <summary>Recovery runs, their stages and transitions are visible to tracing through the "Degradation" activity source.</summary>
[Collection(TracingCollection.Name)]
public sealed class TracingTests : IDisposable
{
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;

    public TracingTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == DegradationActivitySource.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task A_recovery_run_is_one_activity_with_a_child_per_stage_and_its_steps_as_events()
    {
        var time = new FakeTimeProvider(FakeTimeProviderExtensions.TestStart);
        await using var system = TestSystems.Create(time, o => o.Recovery.StablePeriod = TimeSpan.FromSeconds(10));
        await using var orchestrator = new RecoveryOrchestrator(system);
        orchestrator.AddStep(RecoveryStage.ConnectBroker, "reconnect", _ => ValueTask.CompletedTask);
        orchestrator.AddStep(RecoveryStage.VerifyRisk, "verify-risk", _ => ValueTask.CompletedTask);
        var run = system.StateMachine.ActiveRecoveryRun!.Value;
        foreach (var component in TestSystems.Critical) system.Heartbeat(component);
        system.Bus.ProcessPending();

        orchestrator.Start();
        Assert.Equal(RecoveryRunStatus.Completed, (await orchestrator.WhenRunFinishedAsync(run).Within(60)).Status);

        var runActivity = Assert.Single(_stopped, a => a.OperationName == "degradation.recovery.run");
        Assert.Equal("run-1", runActivity.GetTagItem("degradation.recovery.run"));
        Assert.Equal(ActivityStatusCode.Ok, runActivity.Status);
        var stages = _stopped.Where(a => a.OperationName == "degradation.recovery.stage").ToList();
        Assert.Equal(["connect_broker", "catchup_marketdata", "verify_risk", "ready"], stages.Select(s => (string?)s.GetTagItem("degradation.recovery.stage")));
        Assert.All(stages, s => Assert.Equal(runActivity.SpanId, s.ParentSpanId));
        var connect = stages[0];
        Assert.Contains(connect.Events, e => e.Name == "step_succeeded" && (string?)e.Tags.First(t => t.Key == "degradation.recovery.step").Value == "reconnect");
    }

    [Fact]
    public async Task Every_transition_is_an_activity_dated_to_the_transition()
    {
        // The listener hears every system in the process, and an earlier test's system may still be delivering its
        // backlog of transitions: this system's clock starts on a day no other test uses, and its activities are the
        // ones dated that day.
        var day = new DateTimeOffset(2041, 3, 7, 9, 30, 0, TimeSpan.Zero);
        var time = new FakeTimeProvider(day);
        await using var system = NormalSystems.Create(time);
        system.ReportFailure(ComponentId.Broker, ReasonCode.BrokerDisconnect, "socket closed");
        await system.StateMachine.FlushObserversAsync();

        var transitions = system.StateMachine.GetHistory();
        var activities = _stopped.Where(a => a.OperationName == "degradation.transition" && a.StartTimeUtc.Date == day.UtcDateTime.Date).ToList();
        Assert.Equal(transitions.Select(t => t.Sequence), activities.Select(a => (long)a.GetTagItem("degradation.sequence")!));
        var disconnect = activities[^1];
        Assert.Equal("safe_mode_disconnected", disconnect.GetTagItem("degradation.to"));
        Assert.Equal("broker.disconnect", disconnect.GetTagItem("degradation.reason"));
        Assert.Equal(transitions[^1].WallTime.UtcDateTime, disconnect.StartTimeUtc);
    }
}
