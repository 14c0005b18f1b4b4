namespace Degradation.Scopes;

/// <summary>
/// One node of the scope tree (process → venue → account → strategy), resolved once with
/// <see cref="TradingGate.Resolve"/> and then checked per order with <c>gate.For(scope).Allows(action)</c>.
/// Every scope below the process has its own mode authority — a <see cref="DegradationStateMachine"/> with its own
/// components, conditions, operator commands and staged recovery — so the process's rules hold in every scope;
/// a scope's effective mode is the strictest of its own and every ancestor's.
/// </summary>
public sealed class TradingScope
{
    private TradingScope[] _children = [];
    private bool _removed;

    internal TradingScope(ScopeTree tree, TradingScope? parent, string name, string path, DegradationStateMachine stateMachine,
        EventBus bus, RecoveryOrchestrator? recovery)
    {
        Tree = tree;
        Parent = parent;
        Name = name;
        Path = path;
        Level = parent is null ? ScopeLevel.Process : (ScopeLevel)((int)parent.Level + 1);
        StateMachine = stateMachine;
        Bus = bus;
        Recovery = recovery;
        Gate = new ScopedGate(this);
    }

    internal ScopeTree Tree { get; }

    /// <summary>The scope's name: the last segment of its path (<c>"process"</c> for the process scope).</summary>
    public string Name { get; }
    /// <summary>The path from the process, segments separated by <c>'/'</c> (<c>"venue-a/acct-1/strat-x"</c>); empty for the process scope.</summary>
    public string Path { get; }
    /// <summary>The scope's level (its depth below the process).</summary>
    public ScopeLevel Level { get; }
    /// <summary>The enclosing scope, or null for the process scope.</summary>
    public TradingScope? Parent { get; }
    /// <summary>True for the process scope (the system's own gate).</summary>
    public bool IsProcess => Parent is null;
    /// <summary>The scope's direct children, in the order they were added.</summary>
    public IReadOnlyList<TradingScope> Children => Volatile.Read(ref _children);

    /// <summary>
    /// The scope's own mode authority: its components, conditions, operator commands (halt, force, release) and recovery
    /// runs. For the process scope it is the system's state machine. Its <see cref="DegradationStateMachine.Gate"/> shows
    /// the scope's own mode only; trade through <see cref="Gate"/>, which applies the ancestors too.
    /// </summary>
    public DegradationStateMachine StateMachine { get; }

    /// <summary>The event bus feeding <see cref="StateMachine"/> (the system's bus for the process scope).</summary>
    public EventBus Bus { get; }

    /// <summary>
    /// The staged recovery of this scope (null for the process scope, whose orchestrator the host owns). Register the
    /// scope's steps (e.g. the venue's reconnect and reconciliation); it runs this scope's recovery while other scopes trade.
    /// </summary>
    public RecoveryOrchestrator? Recovery { get; }

    /// <summary>
    /// True once the scope was removed from its tree (<see cref="ScopeTree.RemoveAsync"/>): its gate then refuses every
    /// action for good, whatever its state machine does, and it is no longer resolvable.
    /// </summary>
    public bool IsRemoved => Volatile.Read(ref _removed);

    /// <summary>The scope's effective gate: the strictest of this scope and all its ancestors.</summary>
    public ScopedGate Gate { get; }

    /// <summary>The scope's current effective snapshot.</summary>
    public ScopeSnapshot Snapshot => Gate.Snapshot;

    /// <summary>The path, or <c>"(process)"</c> for the process scope: for messages and reports.</summary>
    public string DisplayPath => IsProcess ? "(process)" : Path;

    /// <summary>Publishes a failure of this scope's <paramref name="component"/> (FailCritical when it is critical in this scope).</summary>
    public bool ReportFailure(ComponentId component, ReasonCode reason, string? details = null, TimeSpan? ttl = null)
    {
        var critical = StateMachine.Policy.GetComponent(component)?.Critical ?? false;
        return Bus.Publish(critical ? EventType.FailCritical : EventType.FailSupport, component, reason, details, ttl);
    }

    /// <summary>Publishes that this scope's <paramref name="component"/> recovered (clears its conditions, Halt excepted).</summary>
    public bool ReportRecovered(ComponentId component, string? details = null) =>
        Bus.Publish(EventType.Recovered, component, ReasonCode.ComponentRecovered, details);

    /// <summary>Publishes a heartbeat that keeps this scope's <paramref name="component"/> fresh.</summary>
    public bool Heartbeat(ComponentId component, TimeSpan? ttl = null) =>
        Bus.Publish(EventType.Heartbeat, component, ReasonCode.ComponentHeartbeat, null, ttl);

    /// <summary>True when <paramref name="other"/> is this scope or one of its ancestors.</summary>
    public bool IsWithin(TradingScope other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (var scope = this; scope is not null; scope = scope.Parent)
            if (ReferenceEquals(scope, other)) return true;
        return false;
    }

    /// <inheritdoc />
    public override string ToString() => DisplayPath;

    internal GateSnapshot Own { get; set; } = null!; // written under the tree's writer lock

    internal ScopeSnapshot? Pending { get; set; } // the view being published, under the tree's writer lock

    internal void AddChild(TradingScope child) => Volatile.Write(ref _children, [.. _children, child]);

    internal void RemoveChild(TradingScope child) => Volatile.Write(ref _children, [.. _children.Where(c => !ReferenceEquals(c, child))]);

    internal void MarkRemoved() => Volatile.Write(ref _removed, true);

    internal void CollectPreorder(List<TradingScope> into)
    {
        into.Add(this);
        foreach (var child in Volatile.Read(ref _children)) child.CollectPreorder(into);
    }
}
