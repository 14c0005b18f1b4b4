using Microsoft.Extensions.Time.Testing;
using Degradation.Testing;

namespace Degradation.Tests.Fallback;

public class FallbackApprovalTests
{
    private readonly FakeTimeProvider _time = new(FakeTimeProviderExtensions.TestStart);
    private readonly ScriptedSource _primary;

    public FallbackApprovalTests() => _primary = new ScriptedSource("primary", 100, _time);

    private FallbackChain<int> Chain(AuditTrail? audit = null, AlertRouter? alerts = null, FallbackChainOptions? options = null) =>
        new FallbackChainBuilder<int>("prices")
            .Primary(_primary.Handle)
            .Degraded(_ => new ValueTask<int>(60))
            .Static(30)
            .Error(-1)
            .WithOptions(options ?? new FallbackChainOptions { AutoRestore = false })
            .Build(_time, audit, alerts);

    private static FallbackResult<int> Run(FallbackChain<int> chain) => chain.ExecuteAsync().AsTask().GetAwaiter().GetResult();

    private void Break(FallbackChain<int> chain)
    {
        _primary.Failing = true;
        for (var i = 0; i < 3; i++) Run(chain);
    }

    [Fact]
    public void Traffic_does_not_fail_over_into_a_tier_that_needs_approval_and_asks_for_it()
    {
        var router = new AlertRouter(timeProvider: _time);
        var chain = Chain(alerts: router);
        Break(chain);
        var result = Run(chain);
        Assert.Equal(("error", 0), (result.TierName, result.Quality));
        Assert.Equal(["degraded", "static"], chain.PendingApprovals);
        Assert.Equal(2, chain.GetTransitions().Count(t => t.Kind == FallbackTransitionKind.ApprovalRequested)); // once per tier, not per call
        var alerts = new List<Alert>();
        var sink = new RecordingSink(alerts);
        router.AddRoute(sink, AlertAudiences.Management);
        router.FlushAsync().GetAwaiter().GetResult();
        Assert.Equal(2, alerts.Count);
        Assert.All(alerts, a => Assert.Contains("needs approval", a.Title));
    }

    [Fact]
    public void An_approved_tier_takes_traffic_and_the_approval_is_audited()
    {
        var audit = new AuditTrail(_time);
        var chain = Chain(audit);
        Break(chain);
        Run(chain);
        Assert.True(chain.Approve("degraded", "carol", "accept reduced prices during outage"));
        Assert.False(chain.Approve("degraded", "carol", "twice"));
        var result = Run(chain);
        Assert.Equal(("degraded", 60, 60), (result.TierName, result.Quality, result.Value));
        Assert.Equal("degraded", chain.ActiveTier!.Name);
        Assert.Equal(["static"], chain.PendingApprovals);

        var approval = Assert.Single(audit.GetEntries(), e => e.Record.Kind == AuditEntryKind.Approval);
        Assert.Equal(("approval.granted", "prices/degraded", "carol", "accept reduced prices during outage"), (approval.Record.Action, approval.Record.Component, approval.Record.OperatorId, approval.Record.Reason));

        Assert.True(chain.RevokeApproval("degraded", "carol", "quality complaints"));
        Assert.Equal("error", Run(chain).TierName);
        Assert.Contains(audit.GetEntries(), e => e.Record.Action == "approval.revoked" && e.Record.OperatorId == "carol");
        Assert.True(audit.Verify().IsValid);
    }

    [Fact]
    public void Approvals_last_until_the_primary_is_fully_restored()
    {
        var chain = Chain();
        Break(chain);
        chain.Approve("degraded", "carol", "outage");
        chain.RestorePrimary("carol", "fixed");
        Break(chain);
        Assert.Equal("error", Run(chain).TierName);
        Assert.Contains("degraded", chain.PendingApprovals);
    }

    [Fact]
    public void Without_auto_failover_every_tier_after_the_primary_needs_approval()
    {
        var chain = new FallbackChainBuilder<int>("x").Primary(_primary.Handle).Secondary(_ => new ValueTask<int>(90)).Cache(_ => new ValueTask<int>(80))
            .WithOptions(new FallbackChainOptions { AutoFailover = false }).Build(_time);
        Break(chain);
        Assert.False(Run(chain).Succeeded);
        Assert.Equal(["secondary", "cache"], chain.PendingApprovals);
        chain.Approve("cache", "dave", "cache is fine");
        Assert.Equal("cache", Run(chain).TierName);
    }

    [Fact]
    public void Approving_the_wrong_tier_is_refused_clearly()
    {
        var chain = Chain();
        Assert.Contains("no tier named 'nope'", Assert.Throws<ArgumentException>(() => chain.Approve("nope", "a", "b")).Message);
        Assert.Contains("does not need approval", Assert.Throws<InvalidOperationException>(() => chain.Approve("error", "a", "b")).Message);
        Assert.Throws<ArgumentException>(() => chain.Approve("degraded", "", "b"));
        Assert.Throws<ArgumentException>(() => chain.Approve("degraded", "a", " "));
    }

    [Fact]
    public void A_tier_kind_default_can_be_overridden()
    {
        var chain = new FallbackChainBuilder<int>("x").Primary(_primary.Handle).Degraded(_ => new ValueTask<int>(60), requiresApproval: false).Build(_time);
        Break(chain);
        Assert.Equal("degraded", Run(chain).TierName);
    }

    private sealed class RecordingSink(List<Alert> alerts) : IAlertSink
    {
        public ValueTask SendAsync(Alert alert, CancellationToken cancellationToken)
        {
            lock (alerts) alerts.Add(alert);
            return ValueTask.CompletedTask;
        }
    }
}
