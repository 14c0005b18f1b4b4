using Degradation.Alerts;
using Degradation.Audit;
using Degradation.Composition;
using Degradation.KillSwitches;
using Degradation.Operator;
using Degradation.State;
using Degradation.Storage.File;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Degradation.Hosting;

/// <summary>
/// The configuration steps of <see cref="GracefulDegradationBuilder"/>, applied in order to a
/// <see cref="DegradationSystemBuilder"/> when the container first needs the system. Services the container holds
/// (kill-switch actions, audit stores, alert sinks, an <see cref="IOperatorStateStore"/> registered directly) are added
/// first, so a step can override them; the embedded file write-ahead log (the reason this package references Degradation.Storage.File) is the default when a write buffer was added
/// without one.
/// </summary>
internal sealed class DegradationComposer
{
    private readonly List<Action<DegradationSystemBuilder, IServiceProvider>> _steps = [];

    /// <summary>The directory of the default write-ahead log when it was used (no store was chosen).</summary>
    public string? DefaultWalDirectory { get; private set; }

    public void Add(Action<DegradationSystemBuilder, IServiceProvider> step) => _steps.Add(step);

    public DegradationRuntime Build(IServiceProvider services)
    {
        var builder = new DegradationSystemBuilder(
            services.GetRequiredService<IOptions<DegradationOptions>>().Value, services.GetRequiredService<TimeProvider>());
        if (services.GetService<IOperatorStateStore>() is { } operatorState) builder.UseOperatorStateStore(operatorState);
        foreach (var action in services.GetServices<IKillSwitchAction>()) builder.AddKillSwitchAction(action);
        foreach (var store in services.GetServices<IAuditStore>()) builder.AddAuditStore(store);
        // An audit trail registered as itself is one of the stores too (added once when it is also an IAuditStore).
        if (services.GetService<AuditTrail>() is { } trail) builder.AddAuditStore(trail);
        foreach (var sink in services.GetServices<IAlertSink>()) builder.AddAlertSink(sink);
        foreach (var channel in services.GetServices<AlertChannelRegistration>())
            builder.AddAlertChannel(channel.Name, (IAlertSink)services.GetRequiredService(channel.SinkType));
        foreach (var step in _steps) step(builder, services);
        if (builder.HasWriteBuffer && !builder.HasWalStore)
        {
            var applicationName = services.GetService<IHostEnvironment>()?.ApplicationName is { Length: > 0 } name ? name
                : System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name ?? "app";
            DefaultWalDirectory = Path.GetFullPath(GracefulDegradationBuilder.DefaultWalDirectory(applicationName));
            // The log only: the operator state stays where it was chosen (memory unless a store was chosen).
            var options = new FileWalStoreOptions { DirectoryPath = DefaultWalDirectory };
            builder.UseWalStore(async (_, cancellationToken) => await FileWalStore.OpenAsync(options, cancellationToken).ConfigureAwait(false));
        }
        return builder.Build();
    }
}
