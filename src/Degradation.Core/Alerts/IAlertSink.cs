namespace Degradation.Alerts;

/// <summary>A channel that delivers alerts (pager, chat, e-mail, log). Called off the hot path; may throw.</summary>
public interface IAlertSink
{
    /// <summary>Delivers one alert.</summary>
    ValueTask SendAsync(Alert alert, CancellationToken cancellationToken);
}
