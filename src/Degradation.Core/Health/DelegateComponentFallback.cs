namespace Degradation.Health;

/// <summary>An <see cref="IComponentFallback"/> built from delegates.</summary>
internal sealed class DelegateComponentFallback : IComponentFallback
{
    private readonly Action<ComponentId, string> _activate;
    private readonly Action<ComponentId> _deactivate;
    private readonly Action<ComponentId>? _refreshData;

    /// <summary>Creates a fallback named <paramref name="name"/>.</summary>
    public DelegateComponentFallback(string name, Action<ComponentId, string> activate, Action<ComponentId> deactivate)
        : this(name, activate, deactivate, description: null, impact: null)
    {
    }

    /// <summary>Creates a fallback named <paramref name="name"/> with what it does and what it costs, for health reports.</summary>
    /// <param name="name">The strategy's name.</param>
    /// <param name="activate">Takes over for a failing component.</param>
    /// <param name="deactivate">Stands down once the component is healthy.</param>
    /// <param name="description">What the strategy does.</param>
    /// <param name="impact">What is lost while it serves.</param>
    /// <param name="refreshData">Refreshes the data it serves (see <see cref="IComponentFallback.RefreshData"/>); nothing when null.</param>
    public DelegateComponentFallback(string name, Action<ComponentId, string> activate, Action<ComponentId> deactivate, string? description, string? impact,
        Action<ComponentId>? refreshData = null)
    {
        _refreshData = refreshData;
        Description = description;
        Impact = impact;
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(activate);
        ArgumentNullException.ThrowIfNull(deactivate);
        Name = name;
        _activate = activate;
        _deactivate = deactivate;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public string? Description { get; }

    /// <inheritdoc />
    public string? Impact { get; }

    /// <inheritdoc />
    public void Activate(ComponentId component, string issue) => _activate(component, issue);

    /// <inheritdoc />
    public void Deactivate(ComponentId component) => _deactivate(component);

    /// <inheritdoc />
    public void RefreshData(ComponentId component) => _refreshData?.Invoke(component);
}
