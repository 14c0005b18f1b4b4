using System.Diagnostics.CodeAnalysis;

namespace Degradation;

/// <summary>
/// Names a component the system depends on. The broker, market data, risk, db, alerts and system
/// components are well known; applications register more (e.g. <c>"orderbook-ws"</c>) in
/// <see cref="DegradationOptions.Components"/>, each critical or optional.
/// </summary>
public readonly struct ComponentId : IEquatable<ComponentId>
{
    private readonly string? _name;

    /// <summary>Creates a component id.</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or white space.</exception>
    public ComponentId(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _name = name;
    }

    /// <summary>The component's name; empty for <c>default</c>.</summary>
    public string Name => _name ?? string.Empty;

    /// <summary>True for <c>default(ComponentId)</c>.</summary>
    public bool IsEmpty => _name is null;

    /// <summary>The broker connection (critical by default).</summary>
    public static readonly ComponentId Broker = new("broker");
    /// <summary>The market data feed (critical by default).</summary>
    public static readonly ComponentId MarketData = new("market_data");
    /// <summary>The risk service (critical by default).</summary>
    public static readonly ComponentId Risk = new("risk");
    /// <summary>The database (optional by default).</summary>
    public static readonly ComponentId Db = new("db");
    /// <summary>The alerting channel (optional by default).</summary>
    public static readonly ComponentId Alerts = new("alerts");
    /// <summary>The system itself (recovery, operator commands).</summary>
    public static readonly ComponentId System = new("system");
    /// <summary>The write buffer (<c>write_buffer</c>): reports its own overflow. Internal like <see cref="System"/>: never Unknown, never capped at Degraded.</summary>
    public static readonly ComponentId WriteBuffer = new("write_buffer");

    /// <inheritdoc />
    public bool Equals(ComponentId other) =>
        ReferenceEquals(_name, other._name) || string.Equals(_name, other._name, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is ComponentId other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _name is null ? 0 : StringComparer.Ordinal.GetHashCode(_name);

    /// <summary>The component's name.</summary>
    public override string ToString() => Name;

    /// <summary>Ordinal equality.</summary>
    public static bool operator ==(ComponentId left, ComponentId right) => left.Equals(right);

    /// <summary>Ordinal inequality.</summary>
    public static bool operator !=(ComponentId left, ComponentId right) => !left.Equals(right);

    /// <summary>Creates a component id from its name.</summary>
    public static explicit operator ComponentId(string name) => new(name);
}
