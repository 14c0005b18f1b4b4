using System.Globalization;

namespace Degradation.Alerts;

/// <summary>
/// The acknowledgement book of an <see cref="AlertRouter"/>: every published alert whose severity has an SLA waits here
/// until an operator acknowledges it. One <see cref="TimeProvider"/> timer is set for the earliest deadline; when it
/// passes, the alert is re-sent as Critical to the escalation channel, once, and the escalation is audited. Thread-safe.
/// </summary>
internal sealed class AlertAcknowledgements : IDisposable
{
    private readonly object _lock = new();
    private readonly AlertChannelOptions _options;
    private readonly TimeProvider _time;
    private readonly AuditWriter? _audit;
    private readonly Func<Alert, bool> _publish;
    private readonly Func<long> _nextId;
    private readonly Dictionary<long, Entry> _open = [];
    private readonly Dictionary<long, long> _escalationToOriginal = [];
    private readonly LinkedList<TrackedAlert> _closed = new();
    private readonly ITimer _timer;
    private long _acknowledged;
    private long _escalated;
    private bool _disposed;

    public AlertAcknowledgements(AlertChannelOptions options, TimeProvider time, IAuditStore? audit, Func<Alert, bool> publish, Func<long> nextId)
    {
        _nextId = nextId;
        _options = options;
        _time = time;
        _audit = audit is null ? null : new AuditWriter(audit);
        _publish = publish;
        _timer = time.CreateTimer(static state => ((AlertAcknowledgements)state!).Escalate(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public long AcknowledgedCount => Interlocked.Read(ref _acknowledged);
    public long EscalatedCount => Interlocked.Read(ref _escalated);
    public int UnacknowledgedCount { get { lock (_lock) return _open.Count; } }

    /// <summary>Starts tracking <paramref name="alert"/> when its severity has an SLA (escalations are not tracked themselves).</summary>
    public void Track(Alert alert)
    {
        if (alert.EscalationOf is not null || !_options.AcknowledgementSla.TryGetValue(alert.Severity, out var sla)) return;
        lock (_lock)
        {
            if (_disposed) return;
            _open[alert.Id] = new Entry(alert, _time.GetUtcNow() + sla, sla);
            Reschedule();
        }
    }

    public AcknowledgeOutcome Acknowledge(long alertId, string operatorId, string? note)
    {
        TrackedAlert done;
        lock (_lock)
        {
            var id = _escalationToOriginal.GetValueOrDefault(alertId, alertId);
            if (!_open.Remove(id, out var entry))
                return _closed.Any(c => c.Alert.Id == id && c.IsAcknowledged) ? AcknowledgeOutcome.AlreadyAcknowledged : AcknowledgeOutcome.NotFound;
            var now = _time.GetUtcNow();
            done = entry.ToTracked() with
            {
                State = AlertAcknowledgementState.Acknowledged, AcknowledgedBy = operatorId, AcknowledgedAt = now, Note = note,
            };
            Remember(done);
            Reschedule();
        }
        Interlocked.Increment(ref _acknowledged);
        var late = done.AcknowledgedAt > done.Deadline;
        _audit?.Write(AuditRecord.OperatorAction("alert.acknowledged", operatorId, note ?? "acknowledged", done.AcknowledgedAt!.Value, done.Alert.Component?.Name,
            string.Create(CultureInfo.InvariantCulture,
                $"alert #{done.Alert.Id} ({done.Alert.Severity}, {done.Alert.Audience}): {done.Alert.Title}; {(late ? "after" : "within")} its deadline {done.Deadline:O}{(done.EscalatedAt is null ? "" : ", after escalation")}")));
        return AcknowledgeOutcome.Acknowledged;
    }

    /// <summary>Every open alert (oldest deadline first), then the remembered acknowledged ones (newest first).</summary>
    public IReadOnlyList<TrackedAlert> GetAlerts()
    {
        lock (_lock)
            return [.. _open.Values.OrderBy(e => e.Deadline).ThenBy(e => e.Alert.Id).Select(e => e.ToTracked()), .. _closed];
    }

    public void Dispose()
    {
        lock (_lock) _disposed = true;
        _timer.Dispose();
    }

    private void Escalate()
    {
        var due = new List<(Entry Entry, Alert Escalation)>();
        lock (_lock)
        {
            if (_disposed) return;
            var now = _time.GetUtcNow();
            foreach (var entry in _open.Values.Where(e => e.EscalatedAt is null && e.Deadline <= now).OrderBy(e => e.Deadline))
            {
                var original = entry.Alert;
                var escalation = original with
                {
                    Id = 0, EscalationOf = original.Id, Severity = Severity.Critical,
                    Channel = _options.EscalationChannel ?? AlertRouter.AllChannels,
                    Title = "Unacknowledged: " + original.Title,
                    Message = string.Create(CultureInfo.InvariantCulture,
                        $"alert #{original.Id} ({original.Severity}, {original.Audience}) was not acknowledged within {entry.Sla.TotalMinutes:0.##} min. {original.Message}").TrimEnd(),
                    Time = now,
                };
                entry.EscalatedAt = now;
                due.Add((entry, escalation));
            }
            Reschedule();
        }
        foreach (var (entry, escalation) in due)
        {
            // Publishing numbers the escalation; remember the number so acknowledging either one acknowledges both.
            var numbered = escalation with { Id = _nextId() };
            lock (_lock)
            {
                entry.EscalationId = numbered.Id;
                _escalationToOriginal[numbered.Id] = entry.Alert.Id;
            }
            Interlocked.Increment(ref _escalated);
            var sent = _publish(numbered);
            _audit?.Write(new AuditRecord
            {
                Kind = AuditEntryKind.Other, Action = "alert.escalated", Component = entry.Alert.Component?.Name,
                From = entry.Alert.Severity.ToString(), To = numbered.Channel, Reason = entry.Alert.Title,
                Details = string.Create(CultureInfo.InvariantCulture,
                    $"alert #{entry.Alert.Id} not acknowledged by {entry.Deadline:O}; re-sent as #{numbered.Id} to {(numbered.Channel == AlertRouter.AllChannels ? "every channel" : "channel " + numbered.Channel)}{(sent ? "" : " (dropped: the alert queue was full or stopped)")}"),
                WallTime = entry.EscalatedAt ?? _time.GetUtcNow(),
            });
        }
    }

    // Caller holds the lock.
    private void Reschedule()
    {
        if (_disposed) return;
        DateTimeOffset? earliest = null;
        foreach (var entry in _open.Values)
            if (entry.EscalatedAt is null && (earliest is null || entry.Deadline < earliest)) earliest = entry.Deadline;
        if (earliest is null) { _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan); return; }
        var wait = earliest.Value - _time.GetUtcNow();
        _timer.Change(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    // Caller holds the lock.
    private void Remember(TrackedAlert done)
    {
        _closed.AddFirst(done);
        while (_closed.Count > _options.HistorySize)
        {
            var dropped = _closed.Last!.Value;
            _closed.RemoveLast();
            if (dropped.EscalationId is { } escalationId) _escalationToOriginal.Remove(escalationId);
        }
    }

    private sealed class Entry(Alert alert, DateTimeOffset deadline, TimeSpan sla)
    {
        public Alert Alert { get; } = alert;
        public DateTimeOffset Deadline { get; } = deadline;
        public TimeSpan Sla { get; } = sla;
        public DateTimeOffset? EscalatedAt { get; set; }
        public long? EscalationId { get; set; }

        public TrackedAlert ToTracked() => new()
        {
            Alert = Alert, Deadline = Deadline, EscalatedAt = EscalatedAt, EscalationId = EscalationId,
            State = EscalatedAt is null ? AlertAcknowledgementState.Pending : AlertAcknowledgementState.Escalated,
        };
    }
}
