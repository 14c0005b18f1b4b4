using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Degradation.Hosting;

/// <summary>
/// Configures the degradation system registered by <c>AddGracefulDegradation()</c>: components, probes,
/// recovery steps, alert sinks, audit stores and the write-ahead log.
/// </summary>
public sealed class GracefulDegradationBuilder
{
    internal GracefulDegradationBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection being configured.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Registers a component (critical or optional) beyond the well-known ones.</summary>
    /// <param name="name">Component name, e.g. <c>"orderbook-ws"</c>.</param>
    /// <param name="critical">Whether its failure may close trading; an optional component degrades at most to Degraded.</param>
    /// <param name="fallback">Name of the fallback strategy active while it is down (shown in health reports).</param>
    /// <param name="category">A short human category for reports.</param>
    /// <param name="statusTtl">How long its latest report stays valid; the global default when null.</param>
    public GracefulDegradationBuilder AddComponent(string name, bool critical, string? fallback = null, string? category = null, TimeSpan? statusTtl = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (statusTtl is { } ttl && ttl <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(statusTtl), statusTtl, "A status TTL must be positive.");
        Services.Configure<DegradationOptions>(o => o.Components[name] = new ComponentOptions
        {
            Critical = critical, Fallback = fallback, Category = category, StatusTtlSeconds = statusTtl?.TotalSeconds,
        });
        return this;
    }

    /// <summary>Adds an alert sink; alerts are routed to every registered sink off the hot path.</summary>
    public GracefulDegradationBuilder AddAlertSink<TSink>() where TSink : class, IAlertSink
    {
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IAlertSink, TSink>());
        return this;
    }

    /// <summary>Adds an audit store that receives every transition, override and release, in order.</summary>
    public GracefulDegradationBuilder AddAuditStore<TStore>() where TStore : class, IAuditStore
    {
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuditStore, TStore>());
        return this;
    }

    /// <summary>Uses <typeparamref name="TStore"/> as the write-ahead log of the write buffer.</summary>
    public GracefulDegradationBuilder UseWalStore<TStore>() where TStore : class, IWalStore
    {
        Services.RemoveAll<IWalStore>();
        Services.AddSingleton<IWalStore, TStore>();
        return this;
    }

    /// <summary>Uses the write-ahead log created by <paramref name="factory"/>.</summary>
    public GracefulDegradationBuilder UseWalStore(Func<IServiceProvider, IWalStore> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Services.RemoveAll<IWalStore>();
        Services.AddSingleton(factory);
        return this;
    }
}
