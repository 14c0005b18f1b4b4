namespace Degradation;

/// <summary>The event bus between reporters and the state machine (section <c>Degradation:EventBus</c>).</summary>
public sealed class EventBusOptions : OptionsSection
{
    /// <summary>Capacity of the event bus for non-critical events (must-deliver events never wait for room).</summary>
    [Minimum(1)]
    public int QueueSize { get; set => field = Settable(value); } = 10000;

    /// <summary>Drop non-critical events when the bus is full (counted and recorded). When false the bus keeps them beyond its capacity.</summary>
    public bool DropOnFull { get; set => field = Settable(value); } = true;
}
