using Degradation;
using Degradation.Alerts;
using Degradation.Buffering;
using Degradation.Classification;
using Degradation.Composition;
using Degradation.Events;
using Degradation.Fallback;
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
    /// (usually <c>configuration.GetSection("Degradation")</c>). Durations are time spans (<c>"00:00:30"</c>; plain
    /// numbers are refused), modes and actions are accepted as <c>safe_mode</c> or <c>SafeMode</c> in any case, and a
    /// bad value, an unknown key or a key of the old flat layout stops the host at start with a message naming the key.
    /// </summary>
    public static GracefulDegradationBuilder AddGracefulDegradation(this IServiceCollection services, IConfiguration configuration, Action<DegradationOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var path = configuration is IConfigurationSection section ? section.Path : DegradationOptions.SectionName;
        var builder = AddCore(services, path);
        services.Configure<DegradationOptions>(o => DegradationConfigurationBinder.Bind(configuration, path, o));
        if (configure is not null) services.Configure(configure);
        return builder;
    }

    private static GracefulDegradationBuilder AddCore(IServiceCollection services, string sectionPath)
    {
        services.AddOptions<DegradationOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DegradationOptions>>(new DegradationOptionsValidator(sectionPath)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FallbackChainOptions>, FallbackChainOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FailureClassificationOptions>, FailureClassificationOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        // One composer however often AddGracefulDegradation is called: every builder adds to the same system.
        var composer = services.FirstOrDefault(d => d.ServiceType == typeof(DegradationComposer))?.ImplementationInstance as DegradationComposer;
        if (composer is null)
        {
            composer = new DegradationComposer();
            services.AddSingleton(composer);
        }
        // Built synchronously without I/O beyond reading the operator state (before the gate exists): the write-ahead
        // log and the write buffer open in the hosted service's StartAsync.
        services.TryAddSingleton(sp => sp.GetRequiredService<DegradationComposer>().Build(sp));
        services.TryAddSingleton(sp => sp.GetRequiredService<DegradationRuntime>().System);
        services.TryAddSingleton<ITradingGate>(sp => sp.GetRequiredService<DegradationSystem>().Gate);
        services.TryAddSingleton(sp => sp.GetRequiredService<DegradationSystem>().Gate);
        services.TryAddSingleton(sp => sp.GetRequiredService<DegradationSystem>().StateMachine);
        services.TryAddSingleton(sp => sp.GetRequiredService<DegradationSystem>().Bus);
        services.TryAddSingleton(sp => sp.GetRequiredService<DegradationSystem>().Policy);
        services.TryAddSingleton(sp => new DegradationMetrics(
            sp.GetRequiredService<DegradationSystem>(), sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.TryAddSingleton(sp => sp.GetRequiredService<DegradationRuntime>().Probes);
        services.TryAddSingleton(sp => sp.GetRequiredService<DegradationRuntime>().Recovery);
        services.TryAddSingleton(sp => sp.GetRequiredService<DegradationRuntime>().Fallbacks);
        services.TryAddSingleton(sp => sp.GetRequiredService<DegradationRuntime>().Health);
        services.TryAddSingleton(sp => sp.GetRequiredService<DegradationRuntime>().Alerts);
        services.TryAddSingleton(sp => sp.GetRequiredService<DegradationRuntime>().WriteBuffer ?? throw NotOpen(nameof(WriteBuffer)));
        services.TryAddSingleton(sp => sp.GetRequiredService<DegradationRuntime>().WalStore ?? throw NotOpen(nameof(IWalStore)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, DegradationHostedService>());
        return new GracefulDegradationBuilder(services, composer);
    }

    private static InvalidOperationException NotOpen(string service) => new(
        $"{service} is not available: it exists only with AddWriteBuffer, and opens when the host starts (the degradation " +
        "hosted service opens the write-ahead log asynchronously). Resolve it after IHost.StartAsync, e.g. in a hosted " +
        "service's StartAsync registered after AddGracefulDegradation.");
}
