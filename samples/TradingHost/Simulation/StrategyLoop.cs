using Degradation;

namespace TradingHost.Simulation;

/// <summary>
/// A strategy that makes order decisions at a steady rate of simulated time (submit / amend / cancel mix) and checks
/// the gate for every one. Paced by the simulated clock, not the real one, so how many decisions (and database
/// records) a scenario makes does not depend on the machine's load; the clock in turn waits for the strategy to
/// catch up before each step (<see cref="IsCaughtUp"/>). It also verifies the must-deliver guarantee: once a fence is
/// set right after a must-deliver Publish returned, no later decision may be allowed to send.
/// </summary>
/// <param name="gate">The gate checked for every decision.</param>
/// <param name="clock">The simulated clock that paces the decisions.</param>
/// <param name="decisionsPerSecond">Decisions per simulated second (the default is 20,000 per real second at x40).</param>
/// <param name="recordEverySends">Every this many allowed sends, one order record goes to the database.</param>
public sealed class StrategyLoop(ITradingGate gate, TimeProvider clock, int decisionsPerSecond = 500, int recordEverySends = 50)
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
    private volatile bool _running;
    private long _pacingStart;
    private long _paced;

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

    /// <summary>
    /// True unless the strategy is running and owes decisions for simulated time that has already passed: the clock
    /// takes its next step only then, so a busy machine cannot let simulated time outrun the trading.
    /// </summary>
    public bool IsCaughtUp => !_running || Interlocked.Read(ref _paced) + Batch > Due();

    public void Start()
    {
        _stop = false;
        Interlocked.Exchange(ref _paced, 0);
        Volatile.Write(ref _pacingStart, clock.GetTimestamp());
        _running = true;
        _thread = new Thread(Run) { IsBackground = true, Name = "strategy-loop" };
        _thread.Start();
    }

    public void Stop()
    {
        _stop = true;
        _thread?.Join();
        _running = false;
    }

    private long Due() => (long)(clock.GetElapsedTime(Volatile.Read(ref _pacingStart)).TotalSeconds * decisionsPerSecond);

    private void Run()
    {
        while (!_stop)
        {
            if (Interlocked.Read(ref _paced) + Batch > Due())
            {
                // Ahead of the simulated clock: wait for it (it moves in small steps, many per real millisecond at full speed).
                Thread.Yield();
                continue;
            }
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
            Interlocked.Add(ref _paced, Batch);
        }
    }
}
