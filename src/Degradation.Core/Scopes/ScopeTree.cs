using System.Collections.Concurrent;

namespace Degradation.Scopes;

/// <summary>
/// The scopes of one system (process → venue → account → strategy) and the single writer of their effective gates.
/// Each scope below the process has its own <see cref="DegradationStateMachine"/>; whenever any scope's own mode changes,
/// the tree recomputes the effective snapshot of that scope and everything under it and publishes them so that no scope
/// ever allows what an ancestor forbids, not even for an instant: restrictions reach the descendants before (or with)
/// the ancestor, relaxations reach the ancestor first. Readers never lock; writers are serialized by one lock.
/// </summary>
/// <remarks>
/// Lock order: configuration lock → a state machine's lock → the writer lock. The writer lock is taken inside a state
/// machine's publication, so nothing that holds it ever calls into a state machine.
/// </remarks>
public sealed class ScopeTree : IAsyncDisposable
{
    private readonly object _configuration = new();
    private readonly object _writer = new();
    private static readonly ReasonCode ScopeRemoved = new("scope.removed");
    private readonly DegradationPolicy _processPolicy;
    private readonly IOperatorStateStore? _operatorStateStore;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, TradingScope> _byPath = new(StringComparer.Ordinal);
    private readonly List<(Action<ScopeTransition> Observer, List<IDisposable> Subscriptions)> _observers = [];
    private readonly List<IAuditStore> _auditStores = [];
    private readonly List<IDisposable> _subscriptions = [];
    private DegradationPolicy? _defaultScopePolicy;
    private TradingScope[] _scopes;
    private long _version;
    private Action<TradingScope, bool, byte>? _publicationObserver;
    private bool _started;
    private bool _stopped;

    internal ScopeTree(DegradationStateMachine processStateMachine, EventBus processBus)
    {
        _processPolicy = processStateMachine.Policy;
        _time = processStateMachine.TimeProvider;
        _operatorStateStore = processStateMachine.OperatorStateStore;
        Root = new TradingScope(this, null, "process", string.Empty, processStateMachine, processBus, null);
        Root.Own = processStateMachine.Gate.Snapshot;
        Root.Gate.Publish(ScopeSnapshot.FromOwn(Root, Root.Own, 0));
        _scopes = [Root];
        _byPath[string.Empty] = Root;
        // Attached while the system is being built, before anything can publish on the process gate.
        processStateMachine.Gate.AttachScopes(this, new Publisher(this, Root));
    }

    /// <summary>The process scope (path <c>""</c>): the system's own gate and state machine.</summary>
    public TradingScope Root { get; }

    /// <summary>Number of scopes, the process scope included.</summary>
    public int Count => Volatile.Read(ref _scopes).Length;

    /// <summary>Every scope, the process first, each scope before its children.</summary>
    public IReadOnlyList<TradingScope> GetScopes()
    {
        var all = new List<TradingScope>(Count);
        Root.CollectPreorder(all);
        return all;
    }

    /// <summary>
    /// Adds the scope at <paramref name="path"/> (e.g. <c>"venue-a/acct-1/strat-x"</c>) and any missing ancestors (with
    /// default options). A new scope starts cold, in Recovering, like the process: it trades only once its own recovery
    /// run lands. Returns the existing scope when it is already configured and no options are given.
    /// <para>
    /// When the system keeps its operator state in a store, each new scope's state machine loads the scope's own state
    /// (<see cref="IOperatorStateStore.ForScope"/>) before the scope is reachable: a scope halted before a restart is
    /// halted from its first gate check, and a scope whose state cannot be read starts halted.
    /// </para>
    /// </summary>
    /// <exception cref="ArgumentException">The path is malformed or names the process scope; the message says why.</exception>
    /// <exception cref="InvalidOperationException">Options were given for a scope that already exists.</exception>
    /// <exception cref="ObjectDisposedException">The system was stopped.</exception>
    public TradingScope Add(string path, ScopeOptions? options = null)
    {
        var segments = ScopePaths.Split(path, nameof(path));
        if (segments.Length == 0) throw new ArgumentException("The process scope (path \"\") always exists and cannot be added.", nameof(path));
        lock (_configuration)
        {
            ObjectDisposedException.ThrowIf(_stopped, this);
            if (_byPath.TryGetValue(path, out var existing))
            {
                if (options is not null) throw new InvalidOperationException($"Scope '{path}' is already configured; its options cannot be changed.");
                return existing;
            }
            var parent = Root;
            for (var i = 0; i < segments.Length - 1; i++)
            {
                var prefix = string.Join('/', segments, 0, i + 1);
                parent = _byPath.TryGetValue(prefix, out var ancestor) ? ancestor : Create(parent, segments[i], prefix, null);
            }
            return Create(parent, segments[^1], path, options);
        }
    }

    /// <summary>
    /// Removes the scope at <paramref name="path"/> and everything under it, then stops their buses and recovery and
    /// disposes their state machines. Returns false when no such scope is configured.
    /// <para>
    /// Fail closed: the removed scopes' gates are first switched to a final view that refuses every action (Query
    /// included), so a <see cref="TradingScope"/> handle or <see cref="ScopedGate"/> held elsewhere never opens again; the
    /// removed scopes can no longer be resolved, and their state machines no longer publish to the tree.
    /// </para>
    /// <para>
    /// A scope that is halted (by an operator or a Halt condition) or under an operator override, or that has such a
    /// descendant, is not removed unless <paramref name="force"/> is true: removing it would drop the operator's decision
    /// from view. With <paramref name="force"/> it is removed all the same, and its stored operator state is kept: the
    /// same path added again (in this process or after a restart) comes back halted if it was halted.
    /// </para>
    /// </summary>
    /// <param name="path">The scope's path, e.g. <c>"venue-a/acct-1"</c>.</param>
    /// <param name="force">Remove even when the scope or a descendant is halted or overridden.</param>
    /// <param name="cancellationToken">Cancels waiting for the removed scopes' buses and observers to drain (the removal itself has happened).</param>
    /// <exception cref="ArgumentException">The path is malformed or names the process scope.</exception>
    /// <exception cref="InvalidOperationException">Without <paramref name="force"/>: the scope or a descendant is halted or overridden; the message names them.</exception>
    /// <exception cref="ObjectDisposedException">The system was stopped.</exception>
    public async Task<bool> RemoveAsync(string path, bool force = false, CancellationToken cancellationToken = default)
    {
        var segments = ScopePaths.Split(path, nameof(path));
        if (segments.Length == 0) throw new ArgumentException("The process scope (path \"\") cannot be removed.", nameof(path));
        var removed = new List<TradingScope>();
        lock (_configuration)
        {
            ObjectDisposedException.ThrowIf(_stopped, this);
            if (!_byPath.TryGetValue(path, out var scope)) return false;
            scope.CollectPreorder(removed);
            if (!force)
            {
                var held = removed.Where(s => s.StateMachine.IsHalted || s.StateMachine.IsOverrideActive)
                    .Select(s => $"{s.Path} ({(s.StateMachine.IsHalted ? "halted" : "override " + WireNames.Of(s.StateMachine.Override?.Mode ?? s.StateMachine.Mode))})")
                    .ToList();
                if (held.Count > 0)
                    throw new InvalidOperationException(
                        $"Scope '{path}' was not removed: {string.Join(", ", held)} {(held.Count == 1 ? "holds" : "hold")} an operator decision or a Halt. Release it first, or remove with force.");
            }
            lock (_writer)
            {
                var version = ++_version;
                scope.Parent!.RemoveChild(scope); // the parent's changes stop reaching the subtree
                foreach (var s in removed)
                {
                    s.MarkRemoved(); // its own state machine's changes stop reaching its view
                    PublishView(s, ScopeSnapshot.Removed(s, s.Own, ScopeRemoved, version));
                    _byPath.TryRemove(s.Path, out _);
                }
                Volatile.Write(ref _scopes, [.. _scopes.Where(s => !s.IsRemoved)]);
            }
        }
        for (var i = removed.Count - 1; i >= 0; i--)
        {
            var s = removed[i];
            await s.Recovery!.StopAsync().ConfigureAwait(false);
            await s.Bus.StopAsync(cancellationToken).ConfigureAwait(false);
            await s.StateMachine.FlushObserversAsync(cancellationToken).ConfigureAwait(false);
            await s.Recovery.DisposeAsync().ConfigureAwait(false);
            await s.StateMachine.DisposeAsync().ConfigureAwait(false);
        }
        return true;
    }

    /// <summary>The scope at <paramref name="path"/> (<c>""</c> for the process). Resolve once, then check per order.</summary>
    /// <exception cref="ArgumentException">The path is malformed or not configured.</exception>
    public TradingScope Resolve(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (_byPath.TryGetValue(path, out var scope)) return scope;
        ScopePaths.Split(path, nameof(path)); // a malformed path gets the precise message
        throw new ArgumentException($"Scope '{path}' is not configured; add it with Scopes.Add(\"{path}\").", nameof(path));
    }

    /// <summary>Finds the scope at <paramref name="path"/>; false when it is not configured.</summary>
    public bool TryResolve(string path, out TradingScope scope)
    {
        ArgumentNullException.ThrowIfNull(path);
        return _byPath.TryGetValue(path, out scope!);
    }

    /// <summary>
    /// Subscribes an observer to the transitions of every scope (present and future), each stamped with its scope. It runs
    /// on the scope state machines' observer loops, off their paths. Dispose to unsubscribe.
    /// </summary>
    public IDisposable SubscribeTransitions(Action<ScopeTransition> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        lock (_configuration)
        {
            var subscriptions = new List<IDisposable>();
            foreach (var scope in Volatile.Read(ref _scopes)) subscriptions.Add(Subscribe(scope, observer));
            var entry = (observer, subscriptions);
            _observers.Add(entry);
            return new Subscription(this, entry);
        }
    }

    /// <summary>
    /// Writes the transitions of every scope below the process (present and future) to <paramref name="store"/>, each with
    /// <see cref="ModeTransition.Scope"/> set. Attach the process's own store to the system's state machine as before.
    /// </summary>
    public void AddAuditStore(IAuditStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        lock (_configuration)
        {
            _auditStores.Add(store);
            foreach (var scope in Volatile.Read(ref _scopes))
                if (!scope.IsProcess) _subscriptions.Add(scope.StateMachine.AddAuditStore(new ScopedAuditStore(scope.Path, store)));
        }
    }

    /// <summary>Re-evaluates every scope's state machine (dwell, stability, TTLs, override expiry); driven by the system's timer.</summary>
    internal void Tick()
    {
        foreach (var scope in Volatile.Read(ref _scopes)) scope.StateMachine.Tick();
    }

    /// <summary>Starts the buses and recovery orchestrators of the scopes below the process (and of scopes added later).</summary>
    internal void Start()
    {
        lock (_configuration)
        {
            ObjectDisposedException.ThrowIf(_stopped, this);
            if (_started) return;
            _started = true;
            foreach (var scope in Volatile.Read(ref _scopes)) StartScope(scope);
        }
    }

    /// <summary>Stops the scopes' recovery and buses and waits for their observers.</summary>
    internal async Task StopAsync(CancellationToken cancellationToken = default)
    {
        TradingScope[] scopes;
        lock (_configuration)
        {
            _stopped = true;
            scopes = Volatile.Read(ref _scopes);
        }
        foreach (var scope in scopes)
        {
            if (scope.IsProcess) continue;
            await scope.Recovery!.StopAsync().ConfigureAwait(false);
            await scope.Bus.StopAsync(cancellationToken).ConfigureAwait(false);
            await scope.StateMachine.FlushObserversAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        IDisposable[] subscriptions;
        lock (_configuration)
        {
            subscriptions = [.. _subscriptions];
            _subscriptions.Clear();
        }
        foreach (var subscription in subscriptions) subscription.Dispose();
        foreach (var scope in Volatile.Read(ref _scopes))
        {
            if (scope.IsProcess) continue;
            await scope.Recovery!.DisposeAsync().ConfigureAwait(false);
            await scope.StateMachine.DisposeAsync().ConfigureAwait(false);
        }
    }

    // ---- configuration (under _configuration) -------------------------------------------------------------------

    private TradingScope Create(TradingScope parent, string name, string path, ScopeOptions? options)
    {
        var policy = options is null ? _defaultScopePolicy ??= CompileScopePolicy(null) : CompileScopePolicy(options);
        var stateMachine = new DegradationStateMachine(policy, _time, ScopeStore(path));
        var bus = new EventBus(policy, stateMachine, _time);
        var recovery = new RecoveryOrchestrator(stateMachine, bus);
        var scope = new TradingScope(this, parent, name, path, stateMachine, bus, recovery);
        // Nobody else holds the new state machine yet: hook it up before it becomes reachable through the tree.
        stateMachine.Gate.AttachScopes(this, new Publisher(this, scope));
        foreach (var (observer, subscriptions) in _observers) subscriptions.Add(Subscribe(scope, observer));
        foreach (var store in _auditStores) _subscriptions.Add(stateMachine.AddAuditStore(new ScopedAuditStore(path, store)));
        lock (_writer)
        {
            var version = ++_version;
            scope.Own = stateMachine.Gate.Snapshot;
            PublishView(scope, ScopeSnapshot.Under(scope, scope.Own, parent.Gate.Snapshot, version));
            parent.AddChild(scope);
            Volatile.Write(ref _scopes, [.. _scopes, scope]);
            _byPath[path] = scope;
        }
        if (_started) StartScope(scope);
        return scope;
    }

    private IOperatorStateStore? ScopeStore(string path)
    {
        if (_operatorStateStore is null) return null;
        try
        {
            return _operatorStateStore.ForScope(path);
        }
#pragma warning disable CA1031 // Whatever the store's failure, the scope starts halted and says why.
        catch (Exception error)
#pragma warning restore CA1031
        {
            return new UnreadableOperatorStateStore(path, error);
        }
    }

    private DegradationPolicy CompileScopePolicy(ScopeOptions? options)
    {
        var copy = _processPolicy.Options.CopyForScope();
        // A scope owns only the components it lists: the well-known critical ones are optional unless listed.
        var components = new Dictionary<string, ComponentOptions>(StringComparer.Ordinal);
        foreach (var name in (string[])[ComponentId.Broker.Name, ComponentId.MarketData.Name, ComponentId.Risk.Name])
        {
            var defaults = DegradationPolicy.DefaultComponentOptions(name)!;
            defaults.Critical = false;
            components[name] = defaults;
        }
        foreach (var (name, component) in options?.Components ?? []) components[name] = component;
        copy.Components = components;
        if (options?.TransitionHistorySize is { } history) copy.TransitionHistorySize = history;
        return new DegradationPolicy(copy);
    }

    private static void StartScope(TradingScope scope)
    {
        if (scope.IsProcess) return;
        scope.Bus.Start();
        scope.Recovery!.Start();
    }

    private static IDisposable Subscribe(TradingScope scope, Action<ScopeTransition> observer) =>
        scope.StateMachine.SubscribeTransitions(t => observer(new ScopeTransition(scope, scope.IsProcess ? t : t with { Scope = scope.Path })));

    private void Unsubscribe((Action<ScopeTransition> Observer, List<IDisposable> Subscriptions) entry)
    {
        IDisposable[] subscriptions;
        lock (_configuration)
        {
            _observers.Remove(entry);
            subscriptions = [.. entry.Subscriptions];
        }
        foreach (var subscription in subscriptions) subscription.Dispose();
    }

    /// <summary>
    /// Test seam: observes every publication in order, under the writer lock: the scope, whether it is the scope's own
    /// gate (else its effective gate), and the published allowed mask.
    /// </summary>
    internal void ObservePublications(Action<TradingScope, bool, byte>? observer)
    {
        lock (_writer) _publicationObserver = observer;
    }

    private void PublishView(TradingScope scope, ScopeSnapshot view)
    {
        scope.Gate.Publish(view);
        _publicationObserver?.Invoke(scope, false, view.AllowedMask);
    }

    // ---- propagation (under _writer, inside the publishing state machine's lock) -------------------------------

    /// <summary>
    /// Publishes <paramref name="next"/> as <paramref name="scope"/>'s own snapshot on <paramref name="gate"/>, and the new
    /// effective snapshots of the scope and everything under it, in the fail-closed order.
    /// </summary>
    private void Propagate(TradingScope scope, TradingGate gate, GateSnapshot next)
    {
        lock (_writer)
        {
            if (scope.IsRemoved)
            {
                // A removed scope's state machine may still change (it is being stopped); its view stays refused.
                scope.Own = next;
                gate.Write(next);
                _publicationObserver?.Invoke(scope, true, next.AllowedMask);
                return;
            }
            var version = ++_version;
            scope.Own = next;
            var subtree = new List<TradingScope>();
            scope.CollectPreorder(subtree); // every scope comes before its descendants
            var views = new ScopeSnapshot[subtree.Count];
            for (var i = 0; i < subtree.Count; i++)
            {
                var s = subtree[i];
                // The changed scope sits under its parent's published view; the others under their parent's new view.
                var parentView = i == 0 ? s.Parent?.Gate.Snapshot : s.Parent!.Pending;
                views[i] = s.Pending = parentView is null ? ScopeSnapshot.FromOwn(s, s.Own, version) : ScopeSnapshot.Under(s, s.Own, parentView, version);
            }
            // Phase 1, descendants before ancestors: publish what is tightened (alone, when a change also loosens).
            for (var i = subtree.Count - 1; i >= 0; i--)
            {
                var current = subtree[i].Gate.Snapshot;
                var view = views[i];
                if ((view.AllowedMask & ~current.AllowedMask) == 0) PublishView(subtree[i], view);
                else if ((current.AllowedMask & ~view.AllowedMask) != 0) PublishView(subtree[i], ScopeSnapshot.Intersection(view, current, version));
            }
            gate.Write(next);
            _publicationObserver?.Invoke(scope, true, next.AllowedMask);
            // Phase 2, ancestors before descendants: publish what is loosened.
            for (var i = 0; i < subtree.Count; i++)
            {
                if (!ReferenceEquals(subtree[i].Gate.Snapshot, views[i])) PublishView(subtree[i], views[i]);
                subtree[i].Pending = null;
            }
        }
    }

    private sealed class Publisher(ScopeTree tree, TradingScope scope) : IGatePublishHook
    {
        public void Publish(TradingGate gate, GateSnapshot next) => tree.Propagate(scope, gate, next);
    }

    private sealed class ScopedAuditStore(string path, IAuditStore inner) : IAuditStore
    {
        public ValueTask AppendAsync(ModeTransition transition, CancellationToken cancellationToken) =>
            inner.AppendAsync(transition with { Scope = path }, cancellationToken);
    }

    private sealed class Subscription(ScopeTree tree, (Action<ScopeTransition>, List<IDisposable>) entry) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) tree.Unsubscribe(entry);
        }
    }
}
