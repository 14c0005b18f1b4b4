namespace Degradation.Tests.Operator;

/// <summary>An in-memory operator state store that can be told to fail, for tests.</summary>
internal sealed class MemoryOperatorStateStore : IOperatorStateStore
{
    public OperatorState? Saved { get; set; }
    public bool FailSaves { get; set; }
    public bool FailLoads { get; set; }
    public int Saves { get; private set; }

    public OperatorState? Load() => FailLoads ? throw new IOException("disk on fire") : Saved;

    public void Save(OperatorState state)
    {
        if (FailSaves) throw new IOException("disk full");
        Saves++;
        Saved = state;
    }
}
