using Microsoft.Extensions.Time.Testing;

namespace Degradation.Tests.Scopes;

/// <summary>
/// A system on a <see cref="FakeTimeProvider"/> whose buses are not started (events processed with ProcessPending), with
/// helpers that walk the process and individual scopes from their cold-start runs to Normal.
/// </summary>
internal sealed class ScopeKit : IAsyncDisposable
{
    private static readonly ComponentId[] ProcessCritical = [ComponentId.Broker, ComponentId.MarketData, ComponentId.Risk];

    private ScopeKit(DegradationSystem system, FakeTimeProvider time)
    {
        System = system;
        Time = time;
    }

    public DegradationSystem System { get; }
    public FakeTimeProvider Time { get; }
    public TradingGate Gate => System.Gate;
    public ScopeTree Scopes => System.Scopes;

    public static ScopeKit Create(Action<DegradationOptions>? configure = null, IOperatorStateStore? store = null, FakeTimeProvider? time = null)
    {
        var options = new DegradationOptions { RecoveryStableSeconds = 1, MinSafeModeSeconds = 0, TransitionHistorySize = 10_000, ComponentStatusTtlSeconds = 3600 };
        configure?.Invoke(options);
        time ??= new FakeTimeProvider();
        return new ScopeKit(DegradationSystem.Create(options, time, store), time);
    }

    /// <summary>A kit with the process in Normal.</summary>
    public static ScopeKit Normal(Action<DegradationOptions>? configure = null)
    {
        var kit = Create(configure);
        kit.DriveToNormal(kit.Scopes.Root);
        return kit;
    }

    /// <summary>Adds <paramref name="path"/> (and missing ancestors) and drives each new scope to Normal.</summary>
    public TradingScope AddOpen(string path, ScopeOptions? options = null)
    {
        var before = Scopes.GetScopes().ToHashSet();
        var scope = Scopes.Add(path, options);
        foreach (var added in Scopes.GetScopes().Where(s => !before.Contains(s))) DriveToNormal(added);
        return scope;
    }

    /// <summary>Heartbeats the scope's critical components, passes its recovery run's stages and waits out the stability time.</summary>
    public void DriveToNormal(TradingScope scope)
    {
        var machine = scope.StateMachine;
        var critical = scope.IsProcess ? ProcessCritical
            : machine.Policy.Components.Where(c => c.Value.Critical).Select(c => new ComponentId(c.Key)).ToArray();
        foreach (var component in critical) scope.Heartbeat(component);
        scope.Bus.ProcessPending();
        var run = machine.ActiveRecoveryRun ?? throw new InvalidOperationException($"{scope}: no recovery run (mode {machine.Mode})");
        for (var stage = (machine.Stage ?? RecoveryStage.ConnectBroker) + 1; stage <= RecoveryStage.Ready; stage++)
            if (!machine.TryAdvanceStage(run, stage)) throw new InvalidOperationException($"{scope}: stage {stage} refused");
        Time.Advance(TimeSpan.FromSeconds(System.Options.RecoveryStableSeconds));
        machine.Tick();
        if (machine.Mode != SystemMode.Normal) throw new InvalidOperationException($"{scope}: not Normal but {machine.Mode}");
    }

    public ValueTask DisposeAsync() => System.DisposeAsync();
}
