using System.Net;
using System.Text.Json;
using Degradation.Tests.Infrastructure;

namespace Degradation.Tests.Api;

/// <summary>POST halt and release-halt, and the kill-switch actions' outcomes in the status.</summary>
public sealed class KillSwitchEndpointTests
{
    [Fact]
    public async Task Halt_shuts_the_gate_with_no_ttl_records_the_operator_and_shows_in_the_status()
    {
        await using var host = await DegradationTestHost.StartAsync();
        var client = host.OperatorClient();

        using var response = await client.PostRawAsync("/degradation/halt", """{"reason":"runaway strategy","operator_id":"mallory","ttl_seconds":5}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("halt", body.GetProperty("transition").Str("to_mode"));
        Assert.Equal("operator_halt", body.GetProperty("transition").Str("kind"));
        Assert.Equal("alice", body.GetProperty("transition").Str("operator_id"));
        Assert.True(body.GetProperty("durable").GetBoolean());
        Assert.Equal(SystemMode.Halt, host.System.Gate.Mode);
        Assert.False(host.System.Gate.Allows(ActionType.Send));
        Assert.False(host.System.StateMachine.IsOverrideActive); // a Halt is no override: nothing expires

        var status = await (await host.ViewerClient().GetAsync("/degradation/status")).JsonAsync();
        Assert.Equal("halt", status.Str("mode"));
        Assert.Equal("alice", status.GetProperty("operator_halt").Str("operator_id"));
        Assert.Equal("runaway strategy", status.GetProperty("operator_halt").Str("reason"));
        Assert.True(status.IsNull("override_expires_at"));
        var condition = Assert.Single(status.GetProperty("active_conditions").EnumerateArray());
        Assert.Equal("halt", condition.Str("mode"));
        Assert.Equal("operator:alice", condition.Str("source"));
        await host.System.StateMachine.FlushObserversAsync();
        Assert.DoesNotContain(host.Audit.Entries, t => t.OperatorId == "mallory");
    }

    [Fact]
    public async Task Release_halt_leads_to_recovering_and_a_stale_sequence_is_refused_first()
    {
        await using var host = await DegradationTestHost.StartAsync();
        var client = host.OperatorClient();
        await client.PostRawAsync("/degradation/halt", """{"reason":"drill"}""");
        var seen = host.System.StateMachine.CurrentSequence - 1; // what the operator saw before the Halt

        using var stale = await client.PostRawAsync("/degradation/release-halt", $$"""{"reason":"drill over","expected_sequence":{{seen}}}""");
        var refusal = await AssertRefusalAsync(stale, "sequence_mismatch");
        Assert.Equal(host.System.StateMachine.CurrentSequence, refusal.GetProperty("current_sequence").GetInt64());
        Assert.Equal(SystemMode.Halt, host.System.Gate.Mode);

        using var released = await client.PostRawAsync("/degradation/release-halt",
            $$"""{"reason":"drill over","expected_sequence":{{host.System.StateMachine.CurrentSequence}}}""");
        Assert.Equal(HttpStatusCode.OK, released.StatusCode);
        var body = await released.JsonAsync();
        Assert.Equal("halt_released", body.GetProperty("transition").Str("kind"));
        Assert.NotEqual("halt", body.GetProperty("status").Str("mode"));
        Assert.NotEqual(SystemMode.Halt, host.System.Gate.Mode);
        Assert.False(host.System.Gate.Allows(ActionType.Open)); // recovering (or stricter), never straight to normal
    }

    [Fact]
    public async Task Releasing_past_a_halt_condition_nobody_acknowledged_is_refused_listing_it_in_wire_names()
    {
        await using var host = await DegradationTestHost.StartAsync();
        var client = host.OperatorClient();
        host.System.ReportFailure(ComponentId.Broker, ReasonCode.BrokerMismatch);
        Assert.Equal(SystemMode.Halt, host.System.Gate.Mode);

        foreach (var (path, json) in new[]
                 {
                     ("/degradation/release-halt", """{"reason":"looks fine"}"""),
                     ("/degradation/release", """{"target":"halt","reason":"looks fine"}"""),
                 })
        {
            using var refused = await client.PostRawAsync(path, json);
            var problem = await AssertRefusalAsync(refused, "acknowledgement_required");
            var condition = Assert.Single(problem.GetProperty("active_conditions").EnumerateArray());
            Assert.Equal("broker", condition.Str("component"));
            Assert.Equal("broker.mismatch", condition.Str("reason"));
            Assert.Equal("halt", condition.Str("mode"));
            Assert.Contains("broker.mismatch", problem.Str("detail"));
            Assert.Equal(SystemMode.Halt, host.System.Gate.Mode);
        }

        using var wrong = await client.PostRawAsync("/degradation/release-halt", """{"reason":"r","acknowledge":["broker.disconnect"]}""");
        await AssertRefusalAsync(wrong, "stale_acknowledgement");
        Assert.Equal(SystemMode.Halt, host.System.Gate.Mode);

        using var released = await client.PostRawAsync("/degradation/release-halt", """{"reason":"positions reconciled by hand","acknowledge":["broker.mismatch"]}""");
        Assert.Equal(HttpStatusCode.OK, released.StatusCode);
        Assert.Equal("recovering", (await released.JsonAsync()).GetProperty("status").Str("mode"));
    }

    [Fact]
    public async Task Release_halt_when_nothing_is_halted_is_a_not_halted_refusal()
    {
        await using var host = await DegradationTestHost.StartAsync();
        using var response = await host.OperatorClient().PostRawAsync("/degradation/release-halt", """{"reason":"r"}""");
        var problem = await AssertRefusalAsync(response, "not_halted");
        Assert.Contains("normal", problem.Str("detail"));
        Assert.DoesNotContain("Normal", problem.Str("detail"));
    }

    [Fact]
    public async Task Loosening_by_force_needs_exactly_the_conditions_in_the_way_acknowledged()
    {
        await using var host = await DegradationTestHost.StartAsync();
        var client = host.OperatorClient();
        host.System.ReportFailure(ComponentId.Broker, ReasonCode.BrokerDisconnect);
        var sequence = host.System.StateMachine.CurrentSequence;

        using var refused = await client.PostRawAsync("/degradation/force", $$"""{"mode":"normal","ttl_seconds":60,"reason":"trust me","expected_sequence":{{sequence}}}""");
        var problem = await AssertRefusalAsync(refused, "acknowledgement_required");
        Assert.Equal("Acknowledgement required.", problem.Str("title"));
        Assert.Equal(sequence, problem.GetProperty("current_sequence").GetInt64());
        var blocking = Assert.Single(problem.GetProperty("active_conditions").EnumerateArray());
        Assert.Equal("broker.disconnect", blocking.Str("reason"));
        Assert.Equal("safe_mode_disconnected", blocking.Str("mode"));
        Assert.Equal(SystemMode.SafeModeDisconnected, host.System.Gate.Mode);

        using var stale = await client.PostRawAsync("/degradation/force", """{"mode":"normal","ttl_seconds":60,"reason":"r","acknowledge":["broker.disconnect","risk.timeout"]}""");
        await AssertRefusalAsync(stale, "stale_acknowledgement");
        Assert.Equal(SystemMode.SafeModeDisconnected, host.System.Gate.Mode);

        using var accepted = await client.PostRawAsync("/degradation/force",
            $$"""{"mode":"normal","ttl_seconds":60,"reason":"venue confirmed by phone","expected_sequence":{{sequence}},"acknowledge":["broker.disconnect"]}""");
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(SystemMode.Normal, host.System.Gate.Mode);
    }

    [Fact]
    public async Task Tightening_by_force_needs_no_acknowledgement_and_a_force_never_leaves_halt()
    {
        await using var host = await DegradationTestHost.StartAsync();
        var client = host.OperatorClient();
        host.System.ReportFailure(ComponentId.MarketData, ReasonCode.MarketDataStale);
        using var tighter = await client.PostRawAsync("/degradation/force", """{"mode":"safe_mode_disconnected","ttl_seconds":60,"reason":"r"}""");
        Assert.Equal(HttpStatusCode.OK, tighter.StatusCode);

        await client.PostRawAsync("/degradation/halt", """{"reason":"stop"}""");
        using var out_ = await client.PostRawAsync("/degradation/force", """{"mode":"degraded","ttl_seconds":60,"reason":"get out","acknowledge":["operator.halt","market_data.stale"]}""");
        await AssertRefusalAsync(out_, "halt_active");
        Assert.Equal(SystemMode.Halt, host.System.Gate.Mode);
    }

    [Fact]
    public async Task A_stale_sequence_refuses_an_override_release()
    {
        await using var host = await DegradationTestHost.StartAsync();
        var client = host.OperatorClient();
        await client.PostRawAsync("/degradation/force", """{"mode":"safe_mode","ttl_seconds":600,"reason":"drill"}""");
        using var response = await client.PostRawAsync("/degradation/release", """{"target":"override","reason":"r","expected_sequence":1}""");
        await AssertRefusalAsync(response, "sequence_mismatch");
        Assert.True(host.System.StateMachine.IsOverrideActive);
    }

    [Theory]
    [InlineData("/degradation/release-halt", """{"reason":"r","acknowledge":[""]}""", "acknowledge[0]")]
    [InlineData("/degradation/release-halt", """{"reason":"r","acknowledge":["broker.mismatch","broker.mismatch"]}""", "acknowledge[1]")]
    [InlineData("/degradation/release-halt", """{"reason":"r","acknowledge":"broker.mismatch"}""", "acknowledge")]
    [InlineData("/degradation/release-halt", """{"reason":"r","expected_sequence":-1}""", "expected_sequence")]
    [InlineData("/degradation/release-halt", """{"reason":"r","expected_sequence":"7"}""", "expected_sequence")]
    [InlineData("/degradation/release-halt", """{"acknowledge":[]}""", "reason")]
    [InlineData("/degradation/halt", """{"reason":""}""", "reason")]
    [InlineData("/degradation/halt", """{"reason":"stop","reason":"go"}""", "reason")]
    [InlineData("/degradation/halt", """{"reason":"stop\u202e"}""", "reason")]
    [InlineData("/degradation/release", """{"target":"override","reason":"r","acknowledge":["x"]}""", "acknowledge")]
    [InlineData("/degradation/force", """{"mode":"normal","ttl_seconds":60,"reason":"r","acknowledge":["a\u2066"]}""", "acknowledge[0]")]
    public async Task Kill_switch_commands_reject_invalid_input_naming_the_field(string path, string json, string field)
    {
        await using var host = await DegradationTestHost.StartAsync();
        host.System.ReportFailure(ComponentId.Broker, ReasonCode.BrokerMismatch);
        var before = host.System.StateMachine.CurrentSequence;
        await (await host.OperatorClient().PostRawAsync(path, json)).AssertValidationProblemAsync(field);
        Assert.Equal(before, host.System.StateMachine.CurrentSequence);
        Assert.Equal(SystemMode.Halt, host.System.Gate.Mode);
    }

    [Fact]
    public async Task The_status_shows_each_kill_switch_action_running_then_its_outcome()
    {
        await using var host = await DegradationTestHost.StartAsync();
        var cancel = new ControlledKillSwitchAction("venue-mass-cancel");
        var flatten = new ControlledKillSwitchAction("flatten-positions");
        host.System.AddKillSwitchAction(cancel).AddKillSwitchAction(flatten);
        var viewer = host.ViewerClient();

        using var halted = await host.OperatorClient().PostRawAsync("/degradation/halt", """{"reason":"runaway strategy"}""");
        var haltSequence = (await halted.JsonAsync()).GetProperty("transition").GetProperty("sequence").GetInt64();
        await cancel.Started;
        await flatten.Started;

        var running = await (await viewer.GetAsync("/degradation/status")).JsonAsync();
        var outcomes = running.GetProperty("kill_switch").EnumerateArray().ToList();
        Assert.Equal(["venue-mass-cancel", "flatten-positions"], outcomes.Select(o => o.Str("name")));
        Assert.All(outcomes, o => Assert.Equal("running", o.Str("status")));
        Assert.All(outcomes, o => Assert.Equal(haltSequence, o.GetProperty("halt_sequence").GetInt64()));
        Assert.All(outcomes, o => Assert.True(o.IsNull("completed_at")));

        cancel.Succeed();
        flatten.Fail("risk desk unreachable");
        await host.System.KillSwitch.WhenIdleAsync();

        var done = (await (await viewer.GetAsync("/degradation/status")).JsonAsync()).GetProperty("kill_switch").EnumerateArray().ToDictionary(o => o.Str("name"));
        Assert.Equal("succeeded", done["venue-mass-cancel"].Str("status"));
        Assert.Equal("failed", done["flatten-positions"].Str("status"));
        Assert.Contains("risk desk unreachable", done["flatten-positions"].Str("details"));
        Assert.Equal(JsonValueKind.String, done["flatten-positions"].GetProperty("completed_at").ValueKind);
        Assert.Equal(SystemMode.Halt, host.System.Gate.Mode); // an action never opens the gate
    }

    private static async Task<JsonElement> AssertRefusalAsync(HttpResponseMessage response, string refusal)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Conflict, $"Expected 409 {refusal}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal(409, body.GetProperty("status").GetInt32());
        Assert.Equal(refusal, body.Str("refusal"));
        Assert.True(body.GetProperty("current_sequence").GetInt64() > 0);
        foreach (var name in new[] { "Normal", "Recovering", "SafeMode", "Halt ", "Degraded" })
            Assert.DoesNotContain(name, body.Str("detail"));
        return body;
    }
}
