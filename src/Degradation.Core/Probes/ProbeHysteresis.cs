namespace Degradation.Probes;

/// <summary>
/// Hysteresis of one component's probe results (rule 3 in docs/RULES.md): a failure verdict after
/// <see cref="ProbeOptions.FailThresholdCount"/> failures or <see cref="ProbeOptions.FailThresholdDuration"/>
/// of failing, a Recovered verdict after <see cref="RecoveryOptions.StablePeriod"/> of success.
/// Not thread-safe: the runner serializes rounds per component.
/// </summary>
/// <remarks>
/// The flaky-success rule: a failure streak is not ended by one success. Successes inside a streak are counted, and
/// the streak (its failure count and its start time) is reset only after <see cref="ProbeOptions.FailThresholdCount"/>
/// consecutive successes. So F F S F reports at the third failure, while F S S S F starts a new streak. Otherwise a
/// flapping component (F S F S …, half its calls failing) would never reach the threshold. The other direction is
/// strict: once a failure was reported, any bad result restarts the <see cref="RecoveryOptions.StablePeriod"/>
/// window (de-escalation is earned). A degraded result after a reported failure also restarts it: the component stays
/// failed until it is fully healthy for the whole window.
/// <see cref="ReasonCode.RiskTimeout"/> follows its own rule: it is reported only after
/// <see cref="ProbeOptions.RiskTimeoutConsecutiveCount"/> timeouts in the streak, never by the seconds rule.
/// </remarks>
internal sealed class ProbeHysteresis
{
    private readonly TimeProvider _time;
    private readonly int _failCount;
    private readonly TimeSpan _failDuration;
    private readonly TimeSpan _recoveryStable;
    private readonly int _riskTimeoutCount;

    private Reported _reported;
    private long? _streakStart;
    private long? _firstFailureAt;
    private int _bad;
    private int _failures;
    private int _riskTimeouts;
    private int _goodInStreak;
    private ReasonCode _qualityReason;
    private long? _healthySince;

    public ProbeHysteresis(DegradationOptions options, TimeProvider timeProvider)
    {
        _time = timeProvider;
        _failCount = options.Probes.FailThresholdCount;
        _failDuration = options.Probes.FailThresholdDuration;
        _recoveryStable = options.Recovery.StablePeriod;
        _riskTimeoutCount = options.Probes.RiskTimeoutConsecutiveCount;
    }

    private enum Reported : byte { None, Degraded, Failed }

    /// <summary>True while a verdict is reported or the latest result was bad: the runner probes faster.</summary>
    public bool IsUnhealthy => _reported != Reported.None || _goodInStreak == 0 && _streakStart is not null;

    /// <summary>Bad results in the current streak.</summary>
    public int StreakFailures => _bad;

    /// <summary>Feeds one round's result; returns the verdict and, for a failure or quality verdict, its reason.</summary>
    public (ProbeVerdict Verdict, ReasonCode Reason) Observe(ProbeStatus status, ReasonCode reason, long now)
    {
        if (status == ProbeStatus.Healthy) return ObserveHealthy(now);

        _healthySince = null;
        _streakStart ??= now;
        _goodInStreak = 0;
        _bad++;
        var wanted = Reported.None;
        if (status == ProbeStatus.Unhealthy)
        {
            _failures++;
            _firstFailureAt ??= now;
            if (reason == ReasonCode.RiskTimeout)
            {
                _riskTimeouts++;
                if (_riskTimeouts >= _riskTimeoutCount) wanted = Reported.Failed;
            }
            else if (_failures >= _failCount || _time.GetElapsedTime(_firstFailureAt.Value, now) >= _failDuration)
            {
                wanted = Reported.Failed;
            }
        }
        else
        {
            _qualityReason = reason;
        }
        if (wanted == Reported.None && !_qualityReason.IsEmpty
            && (_bad >= _failCount || _time.GetElapsedTime(_streakStart.Value, now) >= _failDuration))
        {
            wanted = Reported.Degraded;
        }
        if (wanted <= _reported) return (ProbeVerdict.Heartbeat, default);
        _reported = wanted;
        return wanted == Reported.Failed ? (ProbeVerdict.Failure, reason) : (ProbeVerdict.QualityDegraded, _qualityReason);
    }

    private (ProbeVerdict, ReasonCode) ObserveHealthy(long now)
    {
        if (_reported == Reported.None)
        {
            if (_streakStart is not null && ++_goodInStreak >= _failCount) ResetStreak();
            return (ProbeVerdict.Heartbeat, default);
        }
        _healthySince ??= now;
        if (_time.GetElapsedTime(_healthySince.Value, now) < _recoveryStable) return (ProbeVerdict.Heartbeat, default);
        _reported = Reported.None;
        _healthySince = null;
        ResetStreak();
        return (ProbeVerdict.Recovered, default);
    }

    private void ResetStreak()
    {
        _streakStart = null;
        _firstFailureAt = null;
        _bad = 0;
        _failures = 0;
        _riskTimeouts = 0;
        _goodInStreak = 0;
        _qualityReason = default;
    }
}
