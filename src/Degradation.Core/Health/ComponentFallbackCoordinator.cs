namespace Degradation.Health;

/// <summary>
/// Activates a component's registered fallback strategy (<see cref="ComponentOptions.Fallback"/>) while the component
/// is failing (Unstable, Tripped, or Unknown after it had reported) and deactivates it once the component is healthy
/// again. The state machine already caps an optional component's failure at Degraded, so trading goes on
/// with the fallback. The component state is re-read after every event the bus processes and every transition; call
/// <see cref="Refresh"/> to re-read it at any other time. A fallback named in the options but not registered is still
/// reported active (the application may handle it itself). A throwing strategy is isolated and counted.
/// </summary>
public sealed class ComponentFallbackCoordinator : IDisposable
{
    private readonly object _lock = new();
    private readonly DegradationStateMachine _stateMachine;
    private readonly EventBus _bus;
    private readonly Dictionary<string, IComponentFallback> _strategies = new(StringComparer.Ordinal);
    private readonly Dictionary<ComponentId, string> _active = [];
    private readonly List<IDisposable> _subscriptions = [];
    private long _failures;
    private long _dataRefreshes;
    private ITimer? _refreshTimer;
    private bool _disposed;

    /// <summary>Creates a coordinator for <paramref name="stateMachine"/>, refreshed by <paramref name="bus"/>'s events.</summary>
    public ComponentFallbackCoordinator(DegradationStateMachine stateMachine, EventBus bus)
    {
        ArgumentNullException.ThrowIfNull(stateMachine);
        ArgumentNullException.ThrowIfNull(bus);
        _stateMachine = stateMachine;
        _bus = bus;
    }

    /// <summary>Creates a coordinator for <paramref name="system"/>.</summary>
    public ComponentFallbackCoordinator(DegradationSystem system)
        : this((system ?? throw new ArgumentNullException(nameof(system))).StateMachine, system.Bus)
    {
    }

    /// <summary>Raised after a fallback was activated or deactivated, on the refreshing thread. Handler exceptions are ignored.</summary>
    public event Action<FallbackActivation>? Changed;

    /// <summary>Data refreshes asked of active fallbacks (every <see cref="FallbackOptions.RefreshInterval"/> while active).</summary>
    public long DataRefreshes => Interlocked.Read(ref _dataRefreshes);

    /// <summary>Strategy calls that threw.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>The active fallbacks: component → fallback name.</summary>
    public IReadOnlyDictionary<ComponentId, string> ActiveFallbacks { get { lock (_lock) return new Dictionary<ComponentId, string>(_active); } }

    /// <summary>The fallback active for <paramref name="component"/>, or null.</summary>
    public string? GetActive(ComponentId component)
    {
        lock (_lock) return _active.GetValueOrDefault(component);
    }

    /// <summary>The strategy registered as <paramref name="name"/>, or null.</summary>
    public IComponentFallback? GetStrategy(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_lock) return _strategies.GetValueOrDefault(name);
    }

    /// <summary>Registers a strategy under its <see cref="IComponentFallback.Name"/>.</summary>
    /// <exception cref="ArgumentException">A strategy with that name is already registered.</exception>
    public void Register(IComponentFallback fallback)
    {
        ArgumentNullException.ThrowIfNull(fallback);
        ArgumentException.ThrowIfNullOrWhiteSpace(fallback.Name, nameof(fallback));
        lock (_lock)
        {
            if (!_strategies.TryAdd(fallback.Name, fallback))
                throw new ArgumentException($"A fallback named '{fallback.Name}' is already registered.", nameof(fallback));
        }
    }

    /// <summary>Starts following the bus and the transitions, and refreshes once. Idempotent.</summary>
    public void Start()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_subscriptions.Count > 0) return;
            _subscriptions.Add(_bus.Subscribe(_ => Refresh()));
            _subscriptions.Add(_stateMachine.SubscribeTransitions(_ => Refresh()));
            var cadence = _stateMachine.Policy.Options.Fallbacks.RefreshInterval;
            _refreshTimer = _stateMachine.TimeProvider.CreateTimer(static state => ((ComponentFallbackCoordinator)state!).RefreshActiveData(), this, cadence, cadence);
        }
        Refresh();
    }

    /// <summary>Re-reads every component and activates or deactivates fallbacks accordingly.</summary>
    public void Refresh()
    {
        var changes = new List<FallbackActivation>();
        lock (_lock)
        {
            if (_disposed) return;
            // Read under the lock: refreshes from the bus and from transitions race, and a stale read applied after a
            // fresher one would flip a fallback back.
            var statuses = _stateMachine.GetComponents();
            foreach (var status in statuses)
            {
                if (status.Fallback is not { Length: > 0 } name) continue;
                var failing = IsFailing(status);
                var active = _active.ContainsKey(status.Id);
                if (failing && !active)
                {
                    var issue = Describe(status);
                    _active[status.Id] = name;
                    changes.Add(new FallbackActivation(status.Id, name, true, issue, Call(name, s => s.Activate(status.Id, issue))));
                }
                else if (!failing && active)
                {
                    var activeName = _active[status.Id];
                    _active.Remove(status.Id);
                    changes.Add(new FallbackActivation(status.Id, activeName, false, null, Call(activeName, s => s.Deactivate(status.Id))));
                }
            }
        }
        foreach (var change in changes)
        {
            try { Changed?.Invoke(change); }
            catch (Exception) { /* an observer must not break the coordinator */ }
        }
    }

    /// <summary>
    /// Asks every active fallback to refresh its data now (<see cref="IComponentFallback.RefreshData"/>); the coordinator
    /// also does it every <see cref="FallbackOptions.RefreshInterval"/> once started. A throwing strategy is counted.
    /// </summary>
    public void RefreshActiveData()
    {
        lock (_lock)
        {
            if (_disposed) return;
            foreach (var (component, name) in _active)
            {
                Interlocked.Increment(ref _dataRefreshes);
                Call(name, s => s.RefreshData(component));
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        IDisposable[] subscriptions;
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            _refreshTimer?.Dispose();
            _refreshTimer = null;
            subscriptions = [.. _subscriptions];
            _subscriptions.Clear();
        }
        foreach (var subscription in subscriptions) subscription.Dispose();
    }

    /// <summary>True when a component's fallback should be active: it has conditions, or it went silent after reporting.</summary>
    internal static bool IsFailing(ComponentStatus status) =>
        status.Level is ComponentLevel.Unstable or ComponentLevel.Tripped
        || status.Level == ComponentLevel.Unknown && status.LastReport is not null;

    // Staleness is described in words; other conditions by their reasons.
    private static string Describe(ComponentStatus status) => status.Conditions.Any(c => c.Reason != ReasonCode.ComponentStale)
        ? string.Join(", ", status.Conditions.Where(c => c.Reason != ReasonCode.ComponentStale).Select(c => c.Reason.Value))
        : "status expired (no report within its TTL)";

    private Exception? Call(string name, Action<IComponentFallback> action)
    {
        if (!_strategies.TryGetValue(name, out var strategy)) return null;
        try
        {
            action(strategy);
            return null;
        }
        catch (Exception ex)
        {
            Interlocked.Increment(ref _failures);
            return ex;
        }
    }
}
