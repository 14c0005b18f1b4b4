namespace Degradation.Features;

/// <summary>
/// Moves a <see cref="FeatureDegradationController"/>'s derived level with the trading mode and with critical failures:
/// the level is <see cref="FeatureLevelOptions.ModeLevels"/> of the current mode, raised to
/// <see cref="FeatureLevelOptions.CriticalFailureLevel"/> while a critical component is tripped. It is recomputed from
/// the current state after every transition and every processed event, so recovery restores features exactly when the
/// mode (and the critical components) allow it, never earlier. A manual level on the controller can only be stricter
/// unless an operator explicitly overrides it (see <see cref="FeatureDegradationController.OverrideLevel"/>).
/// Thread-safe; dispose to stop following.
/// </summary>
public sealed class FeatureLevelDriver : IDisposable
{
    private readonly FeatureDegradationController _controller;
    private readonly DegradationSystem _system;
    private readonly FeatureLevelOptions _options;
    private readonly IDisposable _transitions;
    private readonly IDisposable _events;
    private readonly object _refreshLock = new();
    private int _disposed;

    /// <summary>Starts following <paramref name="system"/>; the derived level is applied at once.</summary>
    /// <param name="controller">The controller whose derived level this drives.</param>
    /// <param name="system">The system whose mode and components drive it.</param>
    /// <param name="options">The mapping; the system's <see cref="DegradationOptions.FeatureLevels"/> when null.</param>
    /// <exception cref="DegradationOptionsException">The mapping is invalid; the message names the bad entry.</exception>
    public FeatureLevelDriver(FeatureDegradationController controller, DegradationSystem system, FeatureLevelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(controller);
        ArgumentNullException.ThrowIfNull(system);
        options ??= system.Options.FeatureLevels;
        options.ValidateAndThrow();
        _options = options.Frozen<FeatureLevelOptions>(); // validated once: later changes to the caller's object change nothing
        _controller = controller;
        _system = system;
        _transitions = system.StateMachine.SubscribeTransitions(_ => Refresh());
        _events = system.Bus.Subscribe(_ => Refresh());
        Refresh();
    }

    /// <summary>The level the current state derives (mode, raised for a tripped critical component).</summary>
    public FeatureDegradationLevel Derive(out string reason)
    {
        var mode = _system.Gate.Mode;
        var level = _options.ModeLevels[mode];
        reason = $"mode {WireNames.Of(mode)}";
        if (level < _options.CriticalFailureLevel)
        {
            foreach (var component in _system.StateMachine.GetComponents())
            {
                if (!component.Critical || component.Level != ComponentLevel.Tripped) continue;
                level = _options.CriticalFailureLevel;
                reason = $"critical component {component.Id} failed ({component.LastReason}) in mode {WireNames.Of(mode)}";
                break;
            }
        }
        return level;
    }

    /// <summary>Recomputes the derived level from the current state and applies it (done for you on every transition and event).</summary>
    public void Refresh()
    {
        // Read and apply under one lock: two refreshes racing could otherwise apply an older, milder reading last.
        lock (_refreshLock)
        {
            if (Volatile.Read(ref _disposed) != 0) return;
            var level = Derive(out var reason);
            _controller.ApplyDerivedLevel(level, reason);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _transitions.Dispose();
        _events.Dispose();
    }
}
