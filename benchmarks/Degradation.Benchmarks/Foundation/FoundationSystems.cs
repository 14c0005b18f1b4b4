namespace Degradation.Benchmarks.Foundation;

/// <summary>Builds systems in a given mode through real events (no timers started, nothing forced).</summary>
internal static class FoundationSystems
{
    public static readonly ComponentId[] Critical = [ComponentId.Broker, ComponentId.MarketData, ComponentId.Risk];

    /// <summary>Options that let a benchmark reach Normal at once and never go stale while it runs.</summary>
    public static DegradationOptions Options(Action<DegradationOptions>? configure = null)
    {
        var options = new DegradationOptions { Recovery = { StablePeriod = TimeSpan.Zero }, SafeMode = { MinDwell = TimeSpan.Zero }, Status = { ComponentTtl = TimeSpan.FromSeconds(86_400) } };
        configure?.Invoke(options);
        return options;
    }

    public static DegradationSystem Normal(DegradationOptions? options = null)
    {
        var system = DegradationSystem.Create(options ?? Options(), TimeProvider.System);
        var machine = system.StateMachine;
        foreach (var c in Critical) machine.Apply(SystemEvent.Create(system.TimeProvider, EventType.Heartbeat, c));
        var run = machine.ActiveRecoveryRun!.Value;
        foreach (var stage in new[] { RecoveryStage.CatchupMarketData, RecoveryStage.VerifyRisk, RecoveryStage.Ready })
            machine.TryAdvanceStage(run, stage);
        machine.Tick();
        Expect(system, SystemMode.Normal);
        return system;
    }

    /// <summary>A system in <paramref name="mode"/> (Recovering: ConnectBroker of an operator run).</summary>
    public static DegradationSystem In(SystemMode mode, DegradationOptions? options = null)
    {
        var system = Normal(options);
        var machine = system.StateMachine;
        void Fail(ComponentId c, ReasonCode r) => machine.Apply(SystemEvent.Create(system.TimeProvider, EventType.FailCritical, c, r));
        switch (mode)
        {
            case SystemMode.Normal: break;
            case SystemMode.Degraded: Fail(ComponentId.Alerts, ReasonCode.AlertsChannelDown); break;
            case SystemMode.SafeMode: Fail(ComponentId.MarketData, ReasonCode.MarketDataStale); break;
            case SystemMode.SafeModeDisconnected: Fail(ComponentId.Broker, ReasonCode.BrokerDisconnect); break;
            case SystemMode.Halt: Fail(ComponentId.Broker, ReasonCode.PositionUnknown); break;
            case SystemMode.Recovering: machine.StartRecovery("benchmark"); break;
        }
        Expect(system, mode);
        return system;
    }

    private static void Expect(DegradationSystem system, SystemMode mode)
    {
        if (system.Gate.Mode != mode) throw new InvalidOperationException($"Benchmark setup expected {mode}, got {system.Gate.Mode}.");
    }
}
