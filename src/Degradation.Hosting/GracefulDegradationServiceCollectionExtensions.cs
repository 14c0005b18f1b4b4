using Degradation;
using Degradation.Alerts;
using Degradation.Events;
using Degradation.Health;
using Degradation.Hosting;
using Degradation.KillSwitches;
using Degradation.Operator;
using Degradation.Probes;
using Degradation.Recovery;
using Degradation.State;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the degradation system in a Microsoft.Extensions host.</summary>
public static class GracefulDegradationServiceCollectionExtensions
{
    /// <summary>
    /// Registers the degradation system: <see cref="ITradingGate"/>, <see cref="DegradationStateMachine"/>,
    /// <see cref="EventBus"/> and <see cref="DegradationSystem"/> as singletons, options validated at start,
    /// and a hosted service that starts and drains it with the host.
    /// </summary>
    public static GracefulDegradationBuilder AddGracefulDegradation(this IServiceCollection services, Action<DegradationOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = AddCore(services, DegradationOptions.SectionName);
        if (configure is not null) services.Configure(configure);
        return builder;
    }

    /// <summary>
    /// Registers the degradation system with options bound from <paramref name="configuration"/>
    /// (usually <c>configuration.GetSection("Degradation")</c>). A bad value stops the host at start with a
    /// message naming the key.
    /// </summary>
    public static GracefulDegradationBuilder AddGracefulDegradation(this IServiceCollection services, IConfiguration configuration, Action<DegradationOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var path = configuration is IConfigurationSection section ? section.Path : DegradationOptions.SectionName;
        var builder = AddCore(services, path);
        services.Configure<DegradationOptions>(o => configuration.Bind(o, binder => binder.ErrorOnUnknownConfiguration = true));
        if (configure is not null) services.Configure(configure);
        return builder;
    }

    private static GracefulDegradationBuilder AddCore(IServiceCollection services, string sectionPath)
    {
        services.AddOptions<DegradationOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DegradationOptions>>(new DegradationOptionsValidator(sectionPath)));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp =>
        {
            // The operator state store is read while the system is built, before its gate exists.
            var system = DegradationSystem.Create(
                sp.GetRequiredService<IOptions<DegradationOptions>>().Value,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetService<IOperatorStateStore>());
            foreach (var action in sp.GetServices<IKillSwitchAction>()) system.AddKillSwitchAction(action);
            return system;
        });
        services.TryAddSingleton<ITradingGate>(sp => sp.GetRequiredService<DegradationSystem>().Gate);
        services.TryAddSingleton(sp => sp.GetRequiredService<DegradationSystem>().Gate);
        services.TryAddSingleton(sp => sp.GetRequiredService<DegradationSystem>().StateMachine);
        services.TryAddSingleton(sp => sp.GetRequiredService<DegradationSystem>().Bus);
        services.TryAddSingleton(sp => sp.GetRequiredService<DegradationSystem>().Policy);
        services.TryAddSingleton(sp => new DegradationMetrics(
            sp.GetRequiredService<DegradationSystem>(), sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.TryAddSingleton(sp => new ProbeRunner(sp.GetRequiredService<DegradationSystem>()));
        services.TryAddSingleton(sp => new RecoveryOrchestrator(sp.GetRequiredService<DegradationSystem>()));
        services.TryAddSingleton(sp => new ComponentFallbackCoordinator(sp.GetRequiredService<DegradationSystem>()));
        services.TryAddSingleton(sp =>
        {
            var reporter = new HealthReporter(sp.GetRequiredService<DegradationSystem>(), sp.GetRequiredService<ComponentFallbackCoordinator>());
            reporter.Track(sp.GetRequiredService<ProbeRunner>()); // tells a 503 from a broken component
            return reporter;
        });
        services.TryAddSingleton(sp =>
        {
            var system = sp.GetRequiredService<DegradationSystem>();
            return new AlertRouter(null, system.TimeProvider, system.Bus);
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, DegradationHostedService>());
        return new GracefulDegradationBuilder(services);
    }
}
