using System.Net;
using Degradation.Tests.Infrastructure;

namespace Degradation.Tests.Api;

public sealed class ReleaseAndRecoveryEndpointTests
{
    [Fact]
    public async Task Release_override_ends_it_rederives_the_mode_and_is_audited()
    {
        await using var host = await DegradationTestHost.StartAsync();
        var client = host.OperatorClient();
        Assert.Equal(HttpStatusCode.OK, (await client.PostRawAsync("/degradation/force", """{"mode":"safe_mode","ttl_seconds":600,"reason":"drill"}""")).StatusCode);

        using var response = await client.PostRawAsync("/degradation/release", """{"target":"override","reason":"drill over","operator_id":"mallory"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        var transition = body.GetProperty("transition");
        Assert.Equal("override_ended", transition.Str("kind"));
        Assert.Equal("override.released", transition.Str("reason_code"));
        Assert.Equal("alice", transition.Str("operator_id"));
        // Leaving a forced safe mode is earned like any other: through a recovery run (rule 5 in docs/RULES.md).
        Assert.Equal("recovering", body.GetProperty("status").Str("mode"));
        Assert.Equal("connect_broker", body.GetProperty("status").Str("stage"));
        Assert.False(body.GetProperty("status").GetProperty("is_override").GetBoolean());
        Assert.False(host.System.StateMachine.IsOverrideActive);

        await host.System.StateMachine.FlushObserversAsync();
        var ended = Assert.Single(host.Audit.Entries, t => t.Kind == TransitionKind.OverrideEnded);
        Assert.Equal("alice", ended.OperatorId);
        Assert.Equal("drill over", ended.Details);
        Assert.Single(host.Audit.Entries, t => t.Kind == TransitionKind.OverrideStarted && t.OperatorId == "alice");
    }

    [Fact]
    public async Task Release_override_lands_on_the_mode_the_active_conditions_demand()
    {
        await using var host = await DegradationTestHost.StartAsync();
        var client = host.OperatorClient();
        host.System.ReportFailure(ComponentId.Broker, ReasonCode.BrokerDisconnect);
        await client.PostRawAsync("/degradation/force", """{"mode":"normal","ttl_seconds":600,"reason":"trust me","acknowledge":["broker.disconnect"]}""");
        Assert.Equal(SystemMode.Normal, host.System.Gate.Mode);

        var body = await (await client.PostRawAsync("/degradation/release", """{"target":"override","reason":"done"}""")).JsonAsync();
        Assert.Equal("safe_mode_disconnected", body.GetProperty("status").Str("mode"));
    }

    [Fact]
    public async Task Release_without_an_override_is_a_conflict()
    {
        await using var host = await DegradationTestHost.StartAsync();
        using var response = await host.OperatorClient().PostRawAsync("/degradation/release", """{"target":"override","reason":"nothing to release"}""");
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("No override is active", (await response.JsonAsync()).Str("detail"));
    }

    [Fact]
    public async Task Release_halt_clears_the_halt_into_recovering_and_is_audited()
    {
        await using var host = await DegradationTestHost.StartAsync();
        host.System.ReportFailure(ComponentId.Broker, ReasonCode.BrokerMismatch);
        Assert.Equal(SystemMode.Halt, host.System.Gate.Mode);

        using var response = await host.OperatorClient().PostRawAsync("/degradation/release", """{"target":"halt","reason":"positions reconciled by hand","acknowledge":["broker.mismatch"]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("halt_released", body.GetProperty("transition").Str("kind"));
        Assert.Equal("alice", body.GetProperty("transition").Str("operator_id"));
        Assert.Equal("recovering", body.GetProperty("status").Str("mode"));
        Assert.Equal("connect_broker", body.GetProperty("status").Str("stage"));

        await host.System.StateMachine.FlushObserversAsync();
        var released = Assert.Single(host.Audit.Entries, t => t.Kind == TransitionKind.HaltReleased);
        Assert.Equal("alice", released.OperatorId);
        Assert.Equal("positions reconciled by hand", released.Details);
    }

    [Fact]
    public async Task Release_halt_when_not_halted_is_a_conflict()
    {
        await using var host = await DegradationTestHost.StartAsync();
        using var response = await host.OperatorClient().PostRawAsync("/degradation/release", """{"target":"halt","reason":"r"}""");
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("not halted", (await response.JsonAsync()).Str("detail"));
    }

    [Theory]
    [InlineData("""{"target":"everything","reason":"r"}""", "target")]
    [InlineData("""{"reason":"r"}""", "target")]
    [InlineData("""{"target":"override"}""", "reason")]
    [InlineData("""{"target":"halt","reason":" "}""", "reason")]
    public async Task Release_rejects_invalid_input_naming_the_field(string json, string field)
    {
        await using var host = await DegradationTestHost.StartAsync();
        await (await host.OperatorClient().PostRawAsync("/degradation/release", json)).AssertValidationProblemAsync(field);
    }

    [Fact]
    public async Task Start_recovery_begins_a_manual_run_and_is_audited()
    {
        await using var host = await DegradationTestHost.StartAsync();
        using var response = await host.OperatorClient().PostRawAsync("/degradation/recovery/start", """{"reason":"re-verify after config change"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        var run = body.GetProperty("run_id").GetInt64();
        Assert.Equal(host.System.StateMachine.ActiveRecoveryRun!.Value.Value, run);
        var status = body.GetProperty("status");
        Assert.Equal("recovering", status.Str("mode"));
        Assert.Equal("connect_broker", status.Str("stage"));
        Assert.Equal("manual", status.Str("recovery_trigger"));

        await host.System.StateMachine.FlushObserversAsync();
        var started = host.Audit.Entries[^1];
        Assert.Equal(TransitionKind.OperatorCommand, started.Kind);
        Assert.Equal("alice", started.OperatorId);
        Assert.Equal(ReasonCode.RecoveryManual, started.Reason);
    }

    [Fact]
    public async Task Start_recovery_while_halted_is_a_conflict_and_needs_a_reason()
    {
        await using var host = await DegradationTestHost.StartAsync();
        var client = host.OperatorClient();
        await (await client.PostRawAsync("/degradation/recovery/start", """{}""")).AssertValidationProblemAsync("reason");

        host.System.ReportFailure(ComponentId.Risk, ReasonCode.RiskBreachHard);
        using var response = await client.PostRawAsync("/degradation/recovery/start", """{"reason":"try"}""");
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("halted", (await response.JsonAsync()).Str("detail"));
        Assert.Equal(SystemMode.Halt, host.System.Gate.Mode);
    }

    [Fact]
    public async Task Complete_recovery_lands_a_ready_run_when_auto_recovery_is_off()
    {
        var options = DegradationTestHost.FastOptions();
        options.Recovery.AutoToNormal = false;
        await using var host = await DegradationTestHost.StartAsync(systemOptions: options, bringUpToNormal: false);
        var client = host.OperatorClient();
        foreach (var component in new[] { ComponentId.Broker, ComponentId.MarketData, ComponentId.Risk })
            host.System.Heartbeat(component);
        await host.System.Bus.DrainAsync();

        using var early = await client.PostRawAsync("/degradation/recovery/complete", """{"reason":"looks fine"}""");
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);

        var run = host.System.StateMachine.ActiveRecoveryRun!.Value;
        foreach (var stage in new[] { RecoveryStage.CatchupMarketData, RecoveryStage.VerifyRisk, RecoveryStage.Ready })
            Assert.True(host.System.StateMachine.TryAdvanceStage(run, stage));
        Assert.Equal(SystemMode.Recovering, host.System.Gate.Mode);

        using var response = await client.PostRawAsync("/degradation/recovery/complete", """{"reason":"checks passed"}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("normal", body.GetProperty("status").Str("mode"));
        Assert.Equal("alice", body.GetProperty("transition").Str("operator_id"));
    }
}
