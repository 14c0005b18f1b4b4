using Degradation;

namespace TradingHost.Simulation;

/// <summary>
/// A strategy that makes order decisions at a steady rate (submit / amend / cancel mix) and checks the gate
/// for every one. It also verifies the must-deliver guarantee: once a fence is set right after a
/// must-deliver Publish returned, no later decision may be allowed to send.
/// </summary>
public sealed class StrategyLoop(ITradingGate gate, int decisionsPerSecond = 20_000, int recordEverySends = 50)
{
    private const int Batch = 100;
    private long _allowedSends;
    private long _decisions;
    private long _fence = long.MaxValue;
    private long _fenceViolations;
    private long _sendsAfterFence;
    private long _firstRefusalAfterFence = -1;
    private long _fenceSetAtTimestamp;
    private long _firstRefusalTimestamp;
    private Thread? _thread;
    private volatile bool _stop;

    public DecisionStats Stats { get; private set; } = new();

    /// <summary>Called (on the strategy thread) for every <c>recordEverySends</c>-th send allowed, with the order number: the order's database record.</summary>
    public Action<long>? OrderSent { get; set; }

    public int DecisionsPerSecond => decisionsPerSecond;

    public long Decisions => Interlocked.Read(ref _decisions);

    /// <summary>Decisions that were allowed to send after the fence (must stay 0).</summary>
    public long FenceViolations => Interlocked.Read(ref _fenceViolations);

    /// <summary>Send decisions made after a fence was set (each one must have been refused).</summary>
    public long SendsCheckedAfterFence => Interlocked.Read(ref _sendsAfterFence);

    /// <summary>Decision index of the first refused decision after the fence.</summary>
    public long FirstRefusalAfterFence => Interlocked.Read(ref _firstRefusalAfterFence);

    /// <summary>Real time from setting the fence to the first refused send, or null.</summary>
    public TimeSpan? FenceToFirstRefusal => _firstRefusalTimestamp == 0 ? null : TimeProvider.System.GetElapsedTime(_fenceSetAtTimestamp, _firstRefusalTimestamp);

    /// <summary>Called right after a must-deliver Publish returned: every decision that starts later must refuse sends.</summary>
    public void SetFence()
    {
        _firstRefusalTimestamp = 0;
        Interlocked.Exchange(ref _firstRefusalAfterFence, -1);
        _fenceSetAtTimestamp = TimeProvider.System.GetTimestamp();
        Interlocked.Exchange(ref _fence, Interlocked.Read(ref _decisions));
    }

    public void ClearFence() => Interlocked.Exchange(ref _fence, long.MaxValue);

    public void ResetStats() => Stats = new DecisionStats();

    public void Start()
    {
        _stop = false;
        _thread = new Thread(Run) { IsBackground = true, Name = "strategy-loop" };
        _thread.Start();
    }

    public void Stop()
    {
        _stop = true;
        _thread?.Join();
    }

    private void Run()
    {
        var batchInterval = TimeSpan.FromSeconds((double)Batch / decisionsPerSecond);
        var next = TimeProvider.System.GetTimestamp();
        while (!_stop)
        {
            for (var i = 0; i < Batch; i++)
            {
                var index = Interlocked.Increment(ref _decisions);
                var action = (index % 10) switch { < 6 => ActionType.Send, < 8 => ActionType.Amend, _ => ActionType.Cancel };
                var decision = gate.Check(action);
                Stats.Record(decision.Mode, decision.Allowed);
                if (action == ActionType.Send && decision.Allowed && ++_allowedSends % recordEverySends == 0) OrderSent?.Invoke(_allowedSends / recordEverySends);
                if (action == ActionType.Send && index > Interlocked.Read(ref _fence))
                {
                    Interlocked.Increment(ref _sendsAfterFence);
                    if (decision.Allowed) Interlocked.Increment(ref _fenceViolations);
                    else if (Interlocked.CompareExchange(ref _firstRefusalAfterFence, index, -1) == -1) _firstRefusalTimestamp = TimeProvider.System.GetTimestamp();
                }
            }
            next += (long)(batchInterval.TotalSeconds * TimeProvider.System.TimestampFrequency);
            var wait = TimeProvider.System.GetElapsedTime(TimeProvider.System.GetTimestamp(), next);
            if (wait > TimeSpan.Zero) Thread.Sleep(wait);
        }
    }
}
