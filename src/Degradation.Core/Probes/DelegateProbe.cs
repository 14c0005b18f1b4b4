namespace Degradation.Probes;

/// <summary>An <see cref="IProbe"/> built from a delegate.</summary>
internal sealed class DelegateProbe : IProbe
{
    private readonly Func<CancellationToken, ValueTask<ProbeResult>> _check;

    /// <summary>Creates a probe of <paramref name="component"/> that runs <paramref name="check"/>.</summary>
    public DelegateProbe(ComponentId component, Func<CancellationToken, ValueTask<ProbeResult>> check)
    {
        if (component.IsEmpty) throw new ArgumentException("A probe needs a component.", nameof(component));
        ArgumentNullException.ThrowIfNull(check);
        Component = component;
        _check = check;
    }

    /// <inheritdoc />
    public ComponentId Component { get; }

    /// <inheritdoc />
    public ValueTask<ProbeResult> ProbeAsync(CancellationToken cancellationToken) => _check(cancellationToken);
}
