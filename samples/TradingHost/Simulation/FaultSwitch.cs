namespace TradingHost.Simulation;

/// <summary>How a simulated dependency misbehaves right now.</summary>
public enum FaultKind
{
    None,
    Down,
    Hang,
    Slow,
    Transient503,
}

/// <summary>A thread-safe fault injector shared by a simulated dependency and its probe.</summary>
public sealed class FaultSwitch
{
    private volatile int _kind;

    public FaultKind Kind => (FaultKind)_kind;

    public void Set(FaultKind kind) => _kind = (int)kind;

    public void Clear() => _kind = (int)FaultKind.None;

    public bool IsDown => Kind is FaultKind.Down;
}
