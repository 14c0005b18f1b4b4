using System.ComponentModel.DataAnnotations;

namespace Degradation.Alerts;

/// <summary>
/// Alert channels, acknowledgement and escalation (section <c>Degradation:AlertChannels</c>): which named channel (an
/// <see cref="IAlertSink"/> added with <see cref="AlertRouter.AddChannel"/>) takes which alerts, how long an alert of each
/// severity may stay unacknowledged, and where it escalates after that. Defaults: a Critical alert must be acknowledged
/// within 5 minutes, a Warning within 15; Info needs no acknowledgement; escalations go to every channel unless
/// <see cref="EscalationChannel"/> names one. The router validates these options once and runs on a frozen copy.
/// </summary>
public sealed class AlertChannelOptions : OptionsSection, IValidatableObject
{
    /// <summary>The longest acknowledgement deadline: seven days.</summary>
    public static TimeSpan MaxAcknowledgementSla { get; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Routing rules. A channel no rule names takes every alert (a channel is never silently deaf); a channel several
    /// rules name takes what any of them matches. Read-only in a frozen copy.
    /// </summary>
    public IList<AlertChannelRoute> Routes { get; set => field = Settable(value); } = [];

    /// <summary>
    /// How long an alert of a severity may stay unacknowledged before it escalates (more than zero, at most seven days).
    /// A severity missing here needs no acknowledgement. Defaults: Critical 5 minutes, Warning 15 minutes. Read-only in a
    /// frozen copy.
    /// </summary>
    public IDictionary<Severity, TimeSpan> AcknowledgementSla { get; set => field = Settable(value); } = new Dictionary<Severity, TimeSpan>
    {
        [Severity.Critical] = TimeSpan.FromMinutes(5),
        [Severity.Warning] = TimeSpan.FromMinutes(15),
    };

    /// <summary>
    /// The channel an overdue alert is re-sent to (as Critical, audited). Null: every channel. A name no channel has: the
    /// escalation is routed like any Critical alert of its audience, so it is never lost.
    /// </summary>
    public string? EscalationChannel { get; set => field = Settable(value); }

    /// <summary>How many acknowledged alerts are remembered for <see cref="AlertRouter.GetAlerts"/> (unacknowledged ones are always kept).</summary>
    [Minimum(1)]
    public int HistorySize { get; set => field = Settable(value); } = 500;

    /// <summary>
    /// Checks every value and returns one message per invalid option (empty when valid), each naming the option
    /// (<c>AlertChannelOptions:Routes:0:Channel</c>; <c>Degradation:AlertChannels:…</c> when validated with
    /// <see cref="DegradationOptions"/>) and the bad value.
    /// </summary>
    public IReadOnlyList<string> Validate() => OptionsValidation.Validate(this);

    /// <summary>Throws <see cref="DegradationOptionsException"/> naming every invalid option.</summary>
    public void ValidateAndThrow() => OptionsValidation.ValidateAndThrow(this);

    /// <summary>The rules of the routes, the deadlines and the escalation channel (the per-value rules are the attributes).</summary>
    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        ArgumentNullException.ThrowIfNull(validationContext);
        return AlertChannelRules.Check(this, OptionsKey.Prefix(validationContext)).Select(e => new ValidationResult(e));
    }

    private protected override void CopyMembers(bool frozen)
    {
        Routes = CopyOf(Routes, frozen, (route, i) => CopyOf(route, frozen, $"{nameof(Routes)}:{i}"));
        AcknowledgementSla = CopyOf(AcknowledgementSla, frozen);
    }
}
