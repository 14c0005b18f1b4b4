namespace OperatorConsole.Simulation;

/// <summary>What the simulated strategy did: orders the gate let through and orders it held back.</summary>
public sealed class TradingStats
{
    private long _sent;
    private long _blocked;

    public long Sent => Interlocked.Read(ref _sent);
    public long Blocked => Interlocked.Read(ref _blocked);
    public string? LastRefusal { get; private set; }

    public void RecordSent() => Interlocked.Increment(ref _sent);

    public void RecordBlocked(string? advice)
    {
        Interlocked.Increment(ref _blocked);
        LastRefusal = advice;
    }
}
