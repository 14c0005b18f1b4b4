namespace Degradation.Alerts;

/// <summary>
/// The rules of <see cref="AlertChannelOptions"/> that span entries: each route names a channel and a known severity, each
/// deadline is for a known severity and within (0, 7 days], and the escalation channel is null or not blank. Messages
/// start with the key path and name the bad value.
/// </summary>
internal static class AlertChannelRules
{
    private static readonly string ValidSeverities = string.Join(", ", Enum.GetNames<Severity>());

    public static List<string> Check(AlertChannelOptions options, string prefix)
    {
        var errors = new List<string>();
        var routes = prefix + nameof(AlertChannelOptions.Routes);
        if (options.Routes is null) errors.Add($"{routes} must not be null.");
        else
        {
            for (var i = 0; i < options.Routes.Count; i++)
            {
                var route = options.Routes[i];
                var key = $"{routes}:{OptionsKey.Format(i)}";
                if (route is null) { errors.Add($"{key} is null."); continue; }
                if (string.IsNullOrWhiteSpace(route.Channel)) errors.Add($"{key}:{nameof(AlertChannelRoute.Channel)} must not be empty (was '{route.Channel}').");
                if (route.Audience is not null && string.IsNullOrWhiteSpace(route.Audience))
                    errors.Add($"{key}:{nameof(AlertChannelRoute.Audience)} must be null (every audience) or not blank (was '{route.Audience}').");
                if (!Enum.IsDefined(route.MinimumSeverity))
                    errors.Add($"{key}:{nameof(AlertChannelRoute.MinimumSeverity)} has unknown severity '{OptionsKey.Format((int)route.MinimumSeverity)}'; valid severities: {ValidSeverities}.");
            }
        }
        var slas = prefix + nameof(AlertChannelOptions.AcknowledgementSla);
        if (options.AcknowledgementSla is null) errors.Add($"{slas} must not be null.");
        else
        {
            foreach (var (severity, sla) in options.AcknowledgementSla)
            {
                if (!Enum.IsDefined(severity)) errors.Add($"{slas} has unknown severity '{OptionsKey.Format((int)severity)}'; valid severities: {ValidSeverities}.");
                else if (ValidDurationAttribute.Check(sla, allowZero: false, AlertChannelOptions.MaxAcknowledgementSla) is { } error)
                    errors.Add($"{slas}:{severity} {error}");
            }
        }
        if (options.EscalationChannel is not null && string.IsNullOrWhiteSpace(options.EscalationChannel))
            errors.Add($"{prefix}{nameof(AlertChannelOptions.EscalationChannel)} must be null (every channel) or not blank (was '{options.EscalationChannel}').");
        return errors;
    }
}
