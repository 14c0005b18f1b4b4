namespace Degradation.Composition;

/// <summary>
/// Tells operators about every change of trading mode through the alert router: Critical when trading is closed
/// (SafeMode and worse), Warning for another escalation, Info when it eases. Stage changes within a recovery run and
/// re-entries of the same mode are not news.
/// </summary>
internal static class TransitionAlerts
{
    public static IDisposable Attach(DegradationStateMachine stateMachine, AlertRouter alerts) =>
        stateMachine.SubscribeTransitions(t =>
        {
            if (t.Kind == TransitionKind.StageChange || t.From == t.To && t.Kind == TransitionKind.ModeChange) return;
            var severity = t.To >= SystemMode.SafeMode ? Severity.Critical : t.IsEscalation ? Severity.Warning : Severity.Info;
            alerts.Publish(severity, AlertAudiences.Operators, $"Trading mode {WireNames.Of(t.From)} -> {WireNames.Of(t.To)}",
                $"{t.Reason} on {t.Component}{(t.OperatorId is null ? "" : " by " + t.OperatorId)}", t.Component, t.Reason);
        });
}
