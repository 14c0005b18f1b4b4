using System.Collections.Concurrent;
using Degradation;
using Degradation.Events;

namespace OperatorConsole.Simulation;

/// <summary>
/// Turns simulated faults on and off. A fault reports its failure once (as a probe's verdict would) and silences
/// the component's heartbeats; healing reports the recovery (for the broker: <c>broker.reconnected</c>, which starts
/// a recovery run). A position mismatch halts the system until an operator releases it.
/// </summary>
public sealed class FaultInjector(DegradationSystem system)
{
    private readonly ConcurrentDictionary<string, Fault> _active = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Active => [.. _active.Keys.Order(StringComparer.Ordinal)];

    public bool IsSilenced(ComponentId component) => _active.Values.Any(f => f.Component == component);

    public bool Inject(Fault fault)
    {
        if (!_active.TryAdd(fault.Name, fault)) return false;
        system.ReportFailure(fault.Component, fault.Reason, "injected by the simulation");
        return true;
    }

    public bool Heal(Fault fault)
    {
        if (!_active.TryRemove(fault.Name, out _)) return false;
        if (IsSilenced(fault.Component)) return true;
        if (fault.Component == ComponentId.Broker)
            system.Bus.Publish(EventType.Recovered, ComponentId.Broker, ReasonCode.BrokerReconnected, "healed by the simulation");
        else
            system.ReportRecovered(fault.Component, "healed by the simulation");
        return true;
    }
}
