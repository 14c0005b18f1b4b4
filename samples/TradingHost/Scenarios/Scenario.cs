using Degradation;

namespace TradingHost.Scenarios;

/// <summary>One scripted failure: how to configure the system, what to do, and which transitions must follow.</summary>
public abstract class Scenario
{
    /// <summary>Short name used by <c>--scenario</c>.</summary>
    public abstract string Name { get; }

    /// <summary>One line for <c>--list</c> and the report.</summary>
    public abstract string Description { get; }

    /// <summary>
    /// The transitions that must be recorded, in order and nothing else: <c>Mode[/Stage][:reason]</c>, e.g.
    /// <c>SafeModeDisconnected:broker.disconnect</c>, <c>Recovering/ConnectBroker</c>, <c>Normal</c>.
    /// </summary>
    public abstract IReadOnlyList<string> ExpectedTransitions { get; }

    /// <summary>Adjusts the options of this scenario's host (e.g. a small write buffer).</summary>
    public virtual void Configure(DegradationOptions options)
    {
    }

    /// <summary>Runs the script while the strategy loop trades. Failures go to <see cref="ScenarioContext.Expect"/>.</summary>
    public abstract Task RunAsync(ScenarioContext context, CancellationToken cancellationToken);
}
