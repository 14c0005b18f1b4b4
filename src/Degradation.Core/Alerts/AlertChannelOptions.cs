using System.Globalization;

namespace Degradation.Alerts;

/// <summary>
/// Alert channels, acknowledgement and escalation: which named channel (an <see cref="IAlertSink"/> added with
/// <see cref="AlertRouter.AddChannel"/>) takes which alerts, how long an alert of each severity may stay
/// unacknowledged, and where it escalates after that. Defaults: a Critical alert must be acknowledged within 5 minutes,
/// a Warning within 15; Info needs no acknowledgement; escalations go to every channel unless
/// <see cref="EscalationChannel"/> names one.
/// </summary>
public sealed class AlertChannelOptions
{
    /// <summary>
    /// Routing rules. A channel no rule names takes every alert (a channel is never silently deaf); a channel several
    /// rules name takes what any of them matches.
    /// </summary>
    public List<AlertChannelRoute> Routes { get; set; } = [];

    /// <summary>
    /// How long an alert of a severity may stay unacknowledged before it escalates. A severity missing here needs no
    /// acknowledgement. Defaults: Critical 5 minutes, Warning 15 minutes.
    /// </summary>
    public Dictionary<Severity, TimeSpan> AcknowledgementSla { get; set; } = new()
    {
        [Severity.Critical] = TimeSpan.FromMinutes(5),
        [Severity.Warning] = TimeSpan.FromMinutes(15),
    };

    /// <summary>
    /// The channel an overdue alert is re-sent to (as Critical, audited). Null: every channel. A name no channel has: the
    /// escalation is routed like any Critical alert of its audience, so it is never lost.
    /// </summary>
    public string? EscalationChannel { get; set; }

    /// <summary>How many acknowledged alerts are remembered for <see cref="AlertRouter.GetAlerts"/> (unacknowledged ones are always kept).</summary>
    public int HistorySize { get; set; } = 500;

    /// <summary>Checks every value and returns one message per invalid option (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Routes is null) errors.Add($"{nameof(Routes)} must not be null.");
        else
        {
            for (var i = 0; i < Routes.Count; i++)
            {
                var route = Routes[i];
                var name = $"{nameof(Routes)}[{i.ToString(CultureInfo.InvariantCulture)}]";
                if (route is null) { errors.Add($"{name} is null."); continue; }
                if (string.IsNullOrWhiteSpace(route.Channel)) errors.Add($"{name}:{nameof(AlertChannelRoute.Channel)} must not be empty (was '{route.Channel}').");
                if (route.Audience is not null && string.IsNullOrWhiteSpace(route.Audience))
                    errors.Add($"{name}:{nameof(AlertChannelRoute.Audience)} must be null (every audience) or not blank (was '{route.Audience}').");
                if (!Enum.IsDefined(route.MinimumSeverity))
                    errors.Add($"{name}:{nameof(AlertChannelRoute.MinimumSeverity)} is not a severity (was '{((int)route.MinimumSeverity).ToString(CultureInfo.InvariantCulture)}').");
            }
        }
        if (AcknowledgementSla is null) errors.Add($"{nameof(AcknowledgementSla)} must not be null.");
        else
        {
            foreach (var (severity, sla) in AcknowledgementSla)
            {
                if (!Enum.IsDefined(severity)) errors.Add($"{nameof(AcknowledgementSla)} has unknown severity '{((int)severity).ToString(CultureInfo.InvariantCulture)}'.");
                else if (sla <= TimeSpan.Zero || sla > MaxSla)
                    errors.Add($"{nameof(AcknowledgementSla)}:{severity} must be > 0 and at most {MaxSla.TotalDays.ToString(CultureInfo.InvariantCulture)} days (was {sla.ToString("c", CultureInfo.InvariantCulture)}).");
            }
        }
        if (EscalationChannel is not null && string.IsNullOrWhiteSpace(EscalationChannel))
            errors.Add($"{nameof(EscalationChannel)} must be null (every channel) or not blank (was '{EscalationChannel}').");
        if (HistorySize <= 0) errors.Add($"{nameof(HistorySize)} must be > 0 (was {HistorySize.ToString(CultureInfo.InvariantCulture)}).");
        return errors;
    }

    /// <summary>Throws <see cref="DegradationOptionsException"/> naming every invalid option.</summary>
    public void ValidateAndThrow()
    {
        var errors = Validate();
        if (errors.Count > 0) throw new DegradationOptionsException(errors);
    }

    private static readonly TimeSpan MaxSla = TimeSpan.FromDays(7);
}
