namespace TradingHost.Reporting;

/// <summary>One sample of a running scenario, taken at a fixed simulated interval.</summary>
/// <param name="Seconds">Simulated seconds since the scenario started trading.</param>
/// <param name="Mode">The gate's mode, with its recovery stage when recovering (e.g. <c>Recovering/VerifyRisk</c>).</param>
/// <param name="Allowed">Order decisions the gate allowed so far (cumulative).</param>
/// <param name="Refused">Order decisions the gate refused so far (cumulative).</param>
/// <param name="Buffered">Database writes buffered in the write-ahead log so far (cumulative).</param>
/// <param name="Replayed">Buffered writes replayed into the database so far (cumulative).</param>
public sealed record TimelineSample(double Seconds, string Mode, long Allowed, long Refused, long Buffered, long Replayed);

/// <summary>Something the scenario did (a fault injected, a fault cleared, an operator action), at a simulated time.</summary>
public sealed record TimelineMark(double Seconds, string Text);

/// <summary>A mode transition at its simulated time.</summary>
public sealed record TimelineTransition(double Seconds, string To, string Reason);

/// <summary>What a scenario looked like over time: the data behind the HTML report's timeline.</summary>
public sealed class ScenarioTimeline
{
    private readonly object _gate = new();
    private readonly List<TimelineSample> _samples = [];
    private readonly List<TimelineMark> _marks = [];
    private readonly List<TimelineTransition> _transitions = [];

    public IReadOnlyList<TimelineSample> Samples { get { lock (_gate) return [.. _samples]; } }
    public IReadOnlyList<TimelineMark> Marks { get { lock (_gate) return [.. _marks]; } }
    public IReadOnlyList<TimelineTransition> Transitions { get { lock (_gate) return [.. _transitions]; } }

    public void Add(TimelineSample sample) { lock (_gate) _samples.Add(sample); }
    public void Add(TimelineMark mark) { lock (_gate) _marks.Add(mark); }
    public void Add(TimelineTransition transition) { lock (_gate) _transitions.Add(transition); }
}
