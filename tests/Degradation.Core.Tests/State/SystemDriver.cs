using Degradation.Testing;

namespace Degradation.Tests.State;

/// <summary>
/// Drives a <see cref="DegradationSystem"/> on a <see cref="ControlledTimeProvider"/> into any mode quickly and
/// deterministically. The bus is not started: events go straight to the state machine unless a test
/// publishes through <see cref="Bus"/> and calls <see cref="EventBus.ProcessPending"/>; time moves only
/// through <see cref="Advance"/>, which ticks the state machine.
/// </summary>
internal sealed class SystemDriver : IDisposable
{
    public static readonly ComponentId[] CriticalComponents = [ComponentId.Broker, ComponentId.MarketData, ComponentId.Risk];
    public const string Operator = "ops-1";

    private SystemDriver(DegradationOptions options, ControlledTimeProvider time)
    {
        Time = time;
        System = DegradationSystem.Create(options, time);
    }

    public ControlledTimeProvider Time { get; }
    public DegradationSystem System { get; }
    public DegradationStateMachine Machine => System.StateMachine;
    public TradingGate Gate => System.Gate;
    public EventBus Bus => System.Bus;
    public DegradationOptions Options => System.Options;
    public SystemMode Mode => Gate.Mode;
    public RecoveryStage? Stage => Gate.Stage;

    /// <summary>
    /// A fresh system in cold start (Recovering/ConnectBroker, run 1). Components' status TTL defaults to one day
    /// so that tests advancing minutes of time do not see staleness unless they ask for it (staleness tests set
    /// <see cref="StatusOptions.ComponentTtl"/> or an event TTL themselves).
    /// </summary>
    public static SystemDriver Create(Action<DegradationOptions>? configure = null)
    {
        var options = new DegradationOptions { Status = { ComponentTtl = TimeSpan.FromSeconds(86_400) } };
        configure?.Invoke(options);
        return new SystemDriver(options, new ControlledTimeProvider());
    }

    /// <summary>
    /// Disposes the system, which delivers its remaining transitions to observers and ends its delivery loop; a
    /// driver left undisposed would keep delivering after its test ended, into whatever else listens process-wide
    /// (an <c>ActivityListener</c>, a <c>MeterListener</c>). Synchronous so that the many synchronous tests can write
    /// <c>using var</c>; the disposal never needs the calling thread (every await in it is ConfigureAwait(false)).
    /// </summary>
    public void Dispose() => System.DisposeAsync().AsTask().GetAwaiter().GetResult();

    public TimeSpan RecoveryStable => Options.Recovery.StablePeriod;
    public TimeSpan MinSafeMode => Options.SafeMode.MinDwell;

    // ---- events ---------------------------------------------------------------------------------

    public SystemEvent Event(EventType type, ComponentId component, ReasonCode reason = default, TimeSpan? ttl = null, string? details = null) =>
        SystemEvent.Create(Time, type, component, reason, null, details, ttl);

    public SystemDriver Apply(EventType type, ComponentId component, ReasonCode reason = default, TimeSpan? ttl = null)
    {
        Machine.Apply(Event(type, component, reason, ttl));
        return this;
    }

    /// <summary>A failure verdict: FailCritical for a critical component, FailSupport otherwise.</summary>
    public SystemDriver Fail(ComponentId component, ReasonCode reason)
    {
        var critical = System.Policy.GetComponent(component)?.Critical ?? false;
        return Apply(critical ? EventType.FailCritical : EventType.FailSupport, component, reason);
    }

    public SystemDriver Recover(ComponentId component) => Apply(EventType.Recovered, component);

    public SystemDriver Heartbeat(ComponentId component, TimeSpan? ttl = null) => Apply(EventType.Heartbeat, component, default, ttl);

    /// <summary>Heartbeats every registered critical component (the well-known three and any the options add).</summary>
    public SystemDriver HeartbeatCritical()
    {
        foreach (var (name, registration) in System.Policy.Components)
            if (registration.Critical) Heartbeat(new ComponentId(name));
        return this;
    }

    // ---- time -----------------------------------------------------------------------------------

    public SystemDriver Advance(TimeSpan delta)
    {
        Time.Advance(delta);
        Machine.Tick();
        return this;
    }

    public SystemDriver Advance(double seconds) => Advance(TimeSpan.FromSeconds(seconds));

    public SystemDriver Tick()
    {
        Machine.Tick();
        return this;
    }

    // ---- recovery -------------------------------------------------------------------------------

    public RecoveryRunId Run => Machine.ActiveRecoveryRun ?? throw new InvalidOperationException($"No active recovery run (mode {Mode}).");

    /// <summary>
    /// Advances the active run stage by stage up to <paramref name="stage"/>. With Recovery:StablePeriod zero the run
    /// may land (Normal/Degraded) the moment it reaches Ready; that is accepted.
    /// </summary>
    public SystemDriver AdvanceTo(RecoveryStage stage)
    {
        var run = Run;
        while (Mode == SystemMode.Recovering && Stage is { } current && current < stage)
        {
            if (!Machine.TryAdvanceStage(run, current + 1))
                throw new InvalidOperationException($"Could not advance {run} from {current} (mode {Mode}).");
        }
        var landed = stage == RecoveryStage.Ready && Mode is SystemMode.Normal or SystemMode.Degraded && Options.Recovery.StablePeriod == TimeSpan.Zero;
        if (!landed && (Mode != SystemMode.Recovering || Stage != stage))
            throw new InvalidOperationException($"Expected Recovering/{stage}, got {Mode}/{Stage}.");
        return this;
    }

    /// <summary>From any Recovering stage with critical components reporting: Ready, then stable time, then Normal (or Degraded).</summary>
    public SystemDriver CompleteRun()
    {
        HeartbeatCritical();
        AdvanceTo(RecoveryStage.Ready);
        return Advance(RecoveryStable);
    }

    // ---- reaching modes -------------------------------------------------------------------------

    /// <summary>Cold start → Normal: heartbeat the critical components, advance to Ready, wait Recovery:StablePeriod.</summary>
    public SystemDriver ToNormal()
    {
        if (Mode == SystemMode.Normal) return this;
        if (Mode != SystemMode.Recovering) throw new InvalidOperationException($"ToNormal expects Recovering, got {Mode}.");
        CompleteRun();
        return Expect(SystemMode.Normal);
    }

    /// <summary>Normal → Degraded through an optional component's condition (alerts.channel_down).</summary>
    public SystemDriver ToDegraded()
    {
        ToNormal();
        Fail(ComponentId.Alerts, ReasonCode.AlertsChannelDown);
        return Expect(SystemMode.Degraded);
    }

    public SystemDriver ToSafeMode()
    {
        ToNormal();
        Fail(ComponentId.MarketData, ReasonCode.MarketDataStale);
        return Expect(SystemMode.SafeMode);
    }

    public SystemDriver ToSafeModeDisconnected()
    {
        ToNormal();
        Fail(ComponentId.Broker, ReasonCode.BrokerDisconnect);
        return Expect(SystemMode.SafeModeDisconnected);
    }

    public SystemDriver ToHalt()
    {
        ToNormal();
        Fail(ComponentId.Broker, ReasonCode.PositionUnknown);
        return Expect(SystemMode.Halt);
    }

    /// <summary>Normal → an operator recovery run at <paramref name="stage"/>.</summary>
    public SystemDriver ToRecovering(RecoveryStage stage)
    {
        ToNormal();
        Machine.StartRecovery(Operator, "test");
        return AdvanceTo(stage);
    }

    /// <summary>Reaches <paramref name="mode"/> (and, for Recovering, <paramref name="stage"/>) through real events.</summary>
    public SystemDriver To(SystemMode mode, RecoveryStage? stage = null) => mode switch
    {
        SystemMode.Normal => ToNormal(),
        SystemMode.Degraded => ToDegraded(),
        SystemMode.SafeMode => ToSafeMode(),
        SystemMode.SafeModeDisconnected => ToSafeModeDisconnected(),
        SystemMode.Halt => ToHalt(),
        SystemMode.Recovering => ToRecovering(stage ?? RecoveryStage.ConnectBroker),
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };

    public SystemDriver Expect(SystemMode mode, RecoveryStage? stage = null)
    {
        if (Mode != mode || (stage is not null && Stage != stage))
            throw new InvalidOperationException($"Expected {mode}{(stage is null ? "" : "/" + stage)}, got {Mode}/{Stage}. Last: {Machine.LastTransition}");
        return this;
    }

    public ModeTransition Last => Machine.LastTransition ?? throw new InvalidOperationException("No transition yet.");
}
