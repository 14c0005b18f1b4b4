namespace Degradation;

/// <summary>
/// How probes decide (section <c>Degradation:Probes</c>): the hysteresis before a failure is reported and the timeouts
/// of the well-known components' probes.
/// </summary>
public sealed class ProbeOptions : OptionsSection
{
    /// <summary>Consecutive failures a detector needs before it reports a failure.</summary>
    [Minimum(1)]
    public int FailThresholdCount { get; set => field = Settable(value); } = 3;

    /// <summary>Continuous failure after which a detector reports a failure even below <see cref="FailThresholdCount"/>.</summary>
    [ValidDuration]
    public TimeSpan FailThresholdDuration { get; set => field = Settable(value); } = TimeSpan.FromSeconds(5);

    /// <summary>Consecutive risk timeouts before <c>risk.timeout</c> is reported (the duration rule does not apply to them).</summary>
    [Minimum(1)]
    public int RiskTimeoutConsecutiveCount { get; set => field = Settable(value); } = 3;

    /// <summary>Longest a broker probe call may take.</summary>
    [ValidDuration]
    public TimeSpan BrokerTimeout { get; set => field = Settable(value); } = TimeSpan.FromSeconds(5);

    /// <summary>Market data older than this is stale (also the market-data probe's timeout).</summary>
    [ValidDuration]
    public TimeSpan MarketDataStaleAfter { get; set => field = Settable(value); } = TimeSpan.FromSeconds(10);

    /// <summary>Longest a risk service probe call may take.</summary>
    [ValidDuration]
    public TimeSpan RiskTimeout { get; set => field = Settable(value); } = TimeSpan.FromSeconds(2);

    /// <summary>Longest a database probe call may take.</summary>
    [ValidDuration]
    public TimeSpan DbTimeout { get; set => field = Settable(value); } = TimeSpan.FromSeconds(3);
}
