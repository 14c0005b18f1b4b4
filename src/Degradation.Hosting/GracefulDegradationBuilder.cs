using Degradation.Alerts;
using Degradation.Buffering;
using Degradation.Events;
using Degradation.KillSwitches;
using Degradation.Operator;
using Degradation.Probes;
using Degradation.Recovery;
using Degradation.State;
using Microsoft.Extensions.DependencyInjection;
using Degradation.Storage.File;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

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

    /// <summary>
    /// Adds a probe of <paramref name="component"/> (registering the component as critical or optional). The
    /// probe is resolved from DI and run by the <see cref="ProbeRunner"/> the host starts.
    /// </summary>
    /// <param name="component">The component the probe checks; must match <see cref="IProbe.Component"/>.</param>
    /// <param name="critical">Whether the component's failure may close trading.</param>
    /// <param name="configure">Interval, timeout and reasons; the interval defaults to 1 s.</param>
    public GracefulDegradationBuilder AddProbe<TProbe>(ComponentId component, bool critical, Action<ProbeSettings>? configure = null)
        where TProbe : class, IProbe
    {
        if (component.IsEmpty) throw new ArgumentException("A component is required.", nameof(component));
        var settings = new ProbeSettings { Interval = TimeSpan.FromSeconds(1) };
        configure?.Invoke(settings);
        if (settings.Interval <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(configure), settings.Interval, $"The probe interval of {component} must be positive.");
        Services.TryAddSingleton<TProbe>();
        Services.AddSingleton(new ProbeRegistration(typeof(TProbe), component, settings));
        Services.Configure<DegradationOptions>(o =>
        {
            if (!o.Components.TryGetValue(component.Name, out var existing))
                o.Components[component.Name] = existing = DegradationPolicy.DefaultComponentOptions(component.Name) ?? new ComponentOptions();
            existing.Critical = critical;
        });
        return this;
    }

    /// <summary>Adds a recovery step run at <paramref name="stage"/> of every recovery run (resolved from DI).</summary>
    public GracefulDegradationBuilder AddRecoveryStep<TStep>(RecoveryStage stage) where TStep : class, IRecoveryStep
    {
        if (!Enum.IsDefined(stage)) throw new ArgumentOutOfRangeException(nameof(stage), stage, "Unknown recovery stage.");
        Services.TryAddSingleton<TStep>();
        Services.AddSingleton(new RecoveryStepRegistration(typeof(TStep), stage));
        return this;
    }

    /// <summary>
    /// Uses the embedded file write-ahead log in <paramref name="directory"/> (opened at first use, flushed and
    /// closed when the host stops). The same data directory also keeps the operator state
    /// (<see cref="FileOperatorStateStore"/>: operator Halts and overrides survive a restart) unless another
    /// operator state store was chosen.
    /// </summary>
    public GracefulDegradationBuilder UseFileWal(string directory, Action<FileWalStoreOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var options = new FileWalStoreOptions { DirectoryPath = directory };
        configure?.Invoke(options);
        options.Validate();
        Services.TryAddSingleton<IOperatorStateStore>(_ => new FileOperatorStateStore(directory));
        Services.RemoveAll<WalStoreChoice>();
        return UseWalStore(sp => OpenFileWal(sp, options));
    }

    /// <summary>
    /// Uses the in-memory write-ahead log: buffered writes are lost when the process stops or crashes. For tests
    /// and demos only; the host logs a Warning when it starts. Without this call the write buffer never buffers in
    /// memory (see <see cref="AddWriteBuffer{TTarget}"/>).
    /// </summary>
    public GracefulDegradationBuilder UseInMemoryWal()
    {
        Services.RemoveAll<WalStoreChoice>();
        Services.AddSingleton(new WalStoreChoice(InMemory: true, IsDefault: false));
        Services.RemoveAll<IWalStore>();
        Services.AddSingleton<IWalStore>(_ => new InMemoryWalStore());
        return this;
    }

    /// <summary>
    /// The directory of the file write-ahead log the write buffer uses when no store was chosen:
    /// <c>{local application data}/Degradation/{application name}/wal</c> (on Linux <c>~/.local/share/…</c>, on
    /// Windows <c>%LOCALAPPDATA%\…</c>), or <c>{application base directory}/degradation-data/wal</c> where the system
    /// has no such folder. Choose another with <see cref="UseFileWal"/>; in containers, point it at a volume.
    /// </summary>
    /// <param name="applicationName">The host's application name (<c>IHostEnvironment.ApplicationName</c>); characters not allowed in file names are replaced.</param>
    public static string DefaultWalDirectory(string applicationName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(applicationName);
        var invalid = Path.GetInvalidFileNameChars();
        var name = new string([.. applicationName.Select(c => Array.IndexOf(invalid, c) >= 0 ? '_' : c)]);
        var root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        return string.IsNullOrEmpty(root)
            ? Path.Combine(AppContext.BaseDirectory, "degradation-data", "wal")
            : Path.Combine(root, "Degradation", name, "wal");
    }

    /// <summary>
    /// Adds the durable write buffer (<see cref="WriteBuffer"/>, injectable), replaying into
    /// <typeparamref name="TTarget"/>. Replay also runs as a recovery step at <paramref name="replayStage"/> unless
    /// it is null. The write-ahead log is the one chosen with <see cref="UseFileWal"/>, <see cref="UseWalStore{TStore}"/>
    /// or <see cref="UseInMemoryWal"/>; without a choice it is the file WAL in <see cref="DefaultWalDirectory"/> (logged
    /// at Information when the host starts) — never memory by default.
    /// </summary>
    public GracefulDegradationBuilder AddWriteBuffer<TTarget>(RecoveryStage? replayStage = RecoveryStage.CatchupMarketData)
        where TTarget : class, IBufferedWriteTarget
    {
        Services.TryAddSingleton<TTarget>();
        if (!Services.Any(d => d.ServiceType == typeof(IWalStore)))
        {
            Services.AddSingleton(new WalStoreChoice(InMemory: false, IsDefault: true));
            Services.AddSingleton<IWalStore>(sp =>
            {
                var applicationName = sp.GetService<IHostEnvironment>()?.ApplicationName is { Length: > 0 } name ? name
                    : System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name ?? "app";
                return OpenFileWal(sp, new FileWalStoreOptions { DirectoryPath = DefaultWalDirectory(applicationName) });
            });
        }
        Services.RemoveAll<WriteBufferRegistration>();
        Services.AddSingleton(new WriteBufferRegistration(replayStage));
        Services.TryAddSingleton(sp => WriteBuffer.OpenAsync(
            sp.GetRequiredService<DegradationSystem>(), sp.GetRequiredService<IWalStore>(), sp.GetRequiredService<TTarget>()).AsTask().GetAwaiter().GetResult());
        return this;
    }

    /// <summary>
    /// Writes every event the bus drops (a full bus sheds non-critical events) to the JSON-lines file at
    /// <paramref name="path"/>, flushed to disk about once a second and at shutdown, so the record of what was lost
    /// survives a crash. Without it the record is in memory only (<see cref="EventBus.DroppedEvents"/>) and a warning is logged.
    /// </summary>
    public GracefulDegradationBuilder UseDroppedEventFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (Directory.Exists(path)) throw new ArgumentException($"The dropped-event file '{path}' is a directory.", nameof(path));
        Services.RemoveAll<DroppedEventFileRegistration>();
        Services.AddSingleton(new DroppedEventFileRegistration(path));
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

    /// <summary>
    /// Adds a kill-switch action: it runs once per entry into Halt (operator or automatic), concurrently with the
    /// others and under <see cref="DegradationOptions.KillSwitchActionTimeoutSeconds"/>; its outcome is audited and
    /// shown in the status. The typical action is the venue's mass-cancel (see <see cref="IKillSwitchAction"/>).
    /// </summary>
    public GracefulDegradationBuilder AddKillSwitchAction<TAction>() where TAction : class, IKillSwitchAction
    {
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IKillSwitchAction, TAction>());
        return this;
    }

    /// <summary>
    /// Keeps operator Halts and overrides in <c>operator-state.json</c> in <paramref name="directory"/>
    /// (<see cref="FileOperatorStateStore"/>, fsynced before a command is acknowledged), so they survive a
    /// restart or a crash.
    /// </summary>
    public GracefulDegradationBuilder UseFileOperatorState(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        return UseOperatorStateStore(_ => new FileOperatorStateStore(directory));
    }

    /// <summary>Keeps operator Halts and overrides in <typeparamref name="TStore"/>, so they survive a restart or a crash.</summary>
    public GracefulDegradationBuilder UseOperatorStateStore<TStore>() where TStore : class, IOperatorStateStore
    {
        Services.RemoveAll<IOperatorStateStore>();
        Services.AddSingleton<IOperatorStateStore, TStore>();
        return this;
    }

    /// <summary>Keeps operator Halts and overrides in the store created by <paramref name="factory"/>.</summary>
    public GracefulDegradationBuilder UseOperatorStateStore(Func<IServiceProvider, IOperatorStateStore> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Services.RemoveAll<IOperatorStateStore>();
        Services.AddSingleton(factory);
        return this;
    }

    /// <summary>Uses <typeparamref name="TStore"/> as the write-ahead log of the write buffer.</summary>
    public GracefulDegradationBuilder UseWalStore<TStore>() where TStore : class, IWalStore
    {
        Services.RemoveAll<WalStoreChoice>();
        Services.RemoveAll<IWalStore>();
        Services.AddSingleton<IWalStore, TStore>();
        return this;
    }

    /// <summary>Uses the write-ahead log created by <paramref name="factory"/>.</summary>
    public GracefulDegradationBuilder UseWalStore(Func<IServiceProvider, IWalStore> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Services.RemoveAll<WalStoreChoice>();
        Services.RemoveAll<IWalStore>();
        Services.AddSingleton(factory);
        return this;
    }

    private static FileWalStore OpenFileWal(IServiceProvider services, FileWalStoreOptions options)
    {
        options.TimeProvider ??= services.GetRequiredService<TimeProvider>();
        return FileWalStore.OpenAsync(options).AsTask().GetAwaiter().GetResult();
    }
}
