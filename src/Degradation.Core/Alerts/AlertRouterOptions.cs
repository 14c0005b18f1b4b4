using System.Globalization;

namespace Degradation.Alerts;

/// <summary>Options of the <see cref="AlertRouter"/>.</summary>
public sealed class AlertRouterOptions
{
    /// <summary>Alerts waiting for delivery; beyond it <see cref="AlertRouter.Publish(Alert)"/> drops (counted).</summary>
    public int Capacity { get; set; } = 1024;

    /// <summary>How long a sink may take to deliver one alert before the attempt counts as a failure.</summary>
    public TimeSpan SinkTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a failed (down) sink is left alone before the router tries it again; alerts routed to it meanwhile are skipped (counted).</summary>
    public TimeSpan DownRetry { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Report a failing sink to the state machine as <c>alerts.channel_down</c> (component <see cref="ComponentId.Alerts"/>) when the router has an event bus.</summary>
    public bool ReportChannelDown { get; set; } = true;

    /// <summary>The audience of the alert the router raises (through the other sinks) when a sink goes down.</summary>
    public string ChannelDownAudience { get; set; } = AlertAudiences.Operators;

    /// <summary>Checks every value and returns one message per invalid option (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Capacity <= 0) errors.Add($"{nameof(Capacity)} must be > 0 (was {Capacity.ToString(CultureInfo.InvariantCulture)}).");
        if (ValidDurationAttribute.Check(SinkTimeout, allowZero: false) is { } sinkTimeout) errors.Add($"{nameof(SinkTimeout)} {sinkTimeout}");
        if (ValidDurationAttribute.Check(DownRetry, allowZero: true) is { } downRetry) errors.Add($"{nameof(DownRetry)} {downRetry}");
        if (string.IsNullOrWhiteSpace(ChannelDownAudience)) errors.Add($"{nameof(ChannelDownAudience)} must not be empty (was '{ChannelDownAudience}').");
        return errors;
    }

    /// <summary>Throws <see cref="DegradationOptionsException"/> naming every invalid option.</summary>
    public void ValidateAndThrow()
    {
        var errors = Validate();
        if (errors.Count > 0) throw new DegradationOptionsException(errors);
    }
}
