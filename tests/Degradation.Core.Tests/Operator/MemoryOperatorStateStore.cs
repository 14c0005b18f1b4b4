namespace Degradation.Tests.Operator;

/// <summary>An in-memory operator state store that can be told to fail, for tests; each scope gets its own child store.</summary>
internal sealed class MemoryOperatorStateStore : IOperatorStateStore
{
    private readonly Dictionary<string, MemoryOperatorStateStore> _scopes = new(StringComparer.Ordinal);

    public MemoryOperatorStateStore(string scope = "") => Scope = scope;

    public string Scope { get; }
    public OperatorState? Saved { get; set; }
    public bool FailSaves { get; set; }
    public bool FailLoads { get; set; }
    public int Saves { get; private set; }
    /// <summary>When set, <see cref="ForScope"/> throws it.</summary>
    public Exception? ScopeFailure { get; set; }

    public OperatorState? Load() => FailLoads ? throw new IOException("disk on fire") : Saved;

    public void Save(OperatorState state)
    {
        if (FailSaves) throw new IOException("disk full");
        Saves++;
        Saved = state with { Scope = Scope };
    }

    public IOperatorStateStore ForScope(string scopePath)
    {
        if (ScopeFailure is { } failure) throw failure;
        return Child(scopePath);
    }

    /// <summary>The store of <paramref name="scopePath"/> (created empty on first use).</summary>
    public MemoryOperatorStateStore Child(string scopePath)
    {
        lock (_scopes)
        {
            if (!_scopes.TryGetValue(scopePath, out var child)) _scopes[scopePath] = child = new MemoryOperatorStateStore(scopePath);
            return child;
        }
    }
}
