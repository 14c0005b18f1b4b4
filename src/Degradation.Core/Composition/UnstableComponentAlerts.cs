namespace Degradation.Composition;

/// <summary>
/// Publishes a warning alert when a component becomes Unstable (<see cref="DegradationOptions.AlertOnUnstable"/>): a
/// condition that degrades trading is worth an operator's attention before it trips. Runs on the bus's consumer loop,
/// after the state machine applied each event, so it reads the component's new level; one alert per entry into Unstable.
/// </summary>
internal sealed class UnstableComponentAlerts(DegradationStateMachine stateMachine, AlertRouter alerts)
{
    private readonly Dictionary<ComponentId, ComponentLevel> _levels = [];

    public IDisposable Attach(EventBus bus) => bus.Subscribe(OnEvent);

    private void OnEvent(SystemEvent e)
    {
        if (e.Component.IsEmpty || stateMachine.GetComponent(e.Component) is not { } status) return;
        var previous = _levels.GetValueOrDefault(e.Component, ComponentLevel.Unknown);
        _levels[e.Component] = status.Level;
        if (status.Level != ComponentLevel.Unstable || previous == ComponentLevel.Unstable) return;
        alerts.Publish(Severity.Warning, AlertAudiences.Operators, $"Component {e.Component} unstable",
            $"{e.Reason}{(e.Details is { Length: > 0 } details ? ": " + details : "")}", e.Component, e.Reason);
    }
}
