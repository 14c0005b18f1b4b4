namespace Degradation;

/// <summary>An <see cref="IComponentFallback"/> built from delegates.</summary>
public sealed class DelegateComponentFallback : IComponentFallback
{
    private readonly Action<ComponentId, string> _activate;
    private readonly Action<ComponentId> _deactivate;

    /// <summary>Creates a fallback named <paramref name="name"/>.</summary>
    public DelegateComponentFallback(string name, Action<ComponentId, string> activate, Action<ComponentId> deactivate)
    {
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
    public void Activate(ComponentId component, string issue) => _activate(component, issue);

    /// <inheritdoc />
    public void Deactivate(ComponentId component) => _deactivate(component);
}
