using Degradation.Alerts;
using Degradation.Buffering;
using Degradation.Composition;
using Degradation.Events;
using Degradation.KillSwitches;
using Degradation.Operator;
using Degradation.Probes;
using Degradation.Recovery;
using Degradation.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Degradation.Hosting;

/// <summary>
/// Configures the degradation system registered by <c>AddGracefulDegradation()</c>: components, probes,
/// recovery steps, alert sinks, audit stores and the write-ahead log.
/// </summary>
public sealed class GracefulDegradationBuilder : IDegradationBuilder
{
    private readonly DegradationComposer _composer;

    internal GracefulDegradationBuilder(IServiceCollection services, DegradationComposer composer)
    {
        Services = services;
        _composer = composer;
    }

    /// <summary>The service collection being configured.</summary>
    public IServiceCollection Services { get; }

    /// <summary>
    /// Adds a step that configures the <see cref="DegradationSystemBuilder"/> composing the system; steps run in the
    /// order they were added when the container first builds the system. Storage packages' <c>Use…</c> extensions
    /// (e.g. <c>UseFileWal</c>) come through here.
    /// </summary>
    public GracefulDegradationBuilder Configure(Action<DegradationSystemBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _composer.Add((builder, _) => configure(builder));
        return this;
    }

    /// <summary>Adds a step that configures the <see cref="DegradationSystemBuilder"/> with services from the container.</summary>
    /// <inheritdoc cref="Configure(Action{DegradationSystemBuilder})"/>
    public GracefulDegradationBuilder Configure(Action<DegradationSystemBuilder, IServiceProvider> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _composer.Add(configure);
        return this;
    }

    IDegradationBuilder IDegradationBuilder.Configure(Action<DegradationSystemBuilder> configure) => Configure(configure);

    /// <summary>Registers a component (critical or optional) beyond the well-known ones.</summary>
    /// <param name="name">Component name, e.g. <c>"orderbook-ws"</c>.</param>
    /// <param name="critical">Whether its failure may close trading; an optional component degrades at most to Degraded.</param>
    /// <param name="fallback">Name of the fallback strategy active while it is down (shown in health reports).</param>
    /// <param name="category">A short human category for reports.</param>
    /// <param name="statusTtl">How long its latest report stays valid; the global default when null.</param>
    public GracefulDegradationBuilder AddComponent(string name, bool critical, string? fallback = null, string? category = null, TimeSpan? statusTtl = null)
    {
        // Checked now, so a bad registration fails where it is written.
        new DegradationSystemBuilder().AddComponent(name, critical, fallback, category, statusTtl);
        return Configure(builder => builder.AddComponent(name, critical, fallback, category, statusTtl));
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
        // Checked now, so a bad registration fails where it is written.
        new DegradationSystemBuilder().AddProbe(component, critical, _ => throw new InvalidOperationException(), configure);
        Services.TryAddSingleton<TProbe>();
        return Configure((builder, services) => builder.AddProbe(component, critical, _ => services.GetRequiredService<TProbe>(), configure));
    }

    /// <summary>Adds a recovery step run at <paramref name="stage"/> of every recovery run (resolved from DI when the host starts).</summary>
    public GracefulDegradationBuilder AddRecoveryStep<TStep>(RecoveryStage stage) where TStep : class, IRecoveryStep
    {
        if (!Enum.IsDefined(stage)) throw new ArgumentOutOfRangeException(nameof(stage), stage, "Unknown recovery stage.");
        Services.TryAddSingleton<TStep>();
        return Configure((builder, services) => builder.AddRecoveryStep(stage, _ => services.GetRequiredService<TStep>()));
    }

    /// <summary>
    /// Uses the in-memory write-ahead log: buffered writes are lost when the process stops or crashes. For tests
    /// and demos only; the host logs a Warning when it starts. Without this call the write buffer never buffers in
    /// memory (see <see cref="AddWriteBuffer{TTarget}"/>).
    /// </summary>
    public GracefulDegradationBuilder UseInMemoryWal() => Configure(builder => builder.UseInMemoryWal());

    /// <summary>
    /// The directory of the file write-ahead log the write buffer uses when no store was chosen:
    /// <c>{local application data}/Degradation/{application name}/wal</c> (on Linux <c>~/.local/share/…</c>, on
    /// Windows <c>%LOCALAPPDATA%\…</c>), or <c>{application base directory}/degradation-data/wal</c> where the system
    /// has no such folder. Choose another with <c>UseFileWal</c>; in containers, point it at a volume.
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
    /// Adds the durable write buffer (<see cref="WriteBuffer"/>), replaying into <typeparamref name="TTarget"/>. The
    /// buffer opens when the host starts: inject <see cref="WriteBuffer"/> into what runs after that (or resolve it
    /// then); resolving it earlier throws, naming the reason. Replay also runs as a recovery step at <paramref name="replayStage"/> unless
    /// it is null. The write-ahead log is the one chosen with <c>UseFileWal</c>, <see cref="UseWalStore{TStore}"/>
    /// or <see cref="UseInMemoryWal"/>; without a choice it is the file WAL in <see cref="DefaultWalDirectory"/> (logged
    /// at Information when the host starts) — never memory by default.
    /// </summary>
    public GracefulDegradationBuilder AddWriteBuffer<TTarget>(RecoveryStage? replayStage = RecoveryStage.CatchupMarketData)
        where TTarget : class, IBufferedWriteTarget
    {
        if (replayStage is { } stage && !Enum.IsDefined(stage)) throw new ArgumentOutOfRangeException(nameof(replayStage), stage, "Unknown recovery stage.");
        Services.TryAddSingleton<TTarget>();
        return Configure((builder, services) => builder.AddWriteBuffer(_ => services.GetRequiredService<TTarget>(), replayStage));
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

    /// <summary>Keeps operator Halts and overrides in <typeparamref name="TStore"/>, so they survive a restart or a crash.</summary>
    public GracefulDegradationBuilder UseOperatorStateStore<TStore>() where TStore : class, IOperatorStateStore
    {
        Services.TryAddSingleton<TStore>();
        return Configure((builder, services) => builder.UseOperatorStateStore(services.GetRequiredService<TStore>()));
    }

    /// <summary>Keeps operator Halts and overrides in the store created by <paramref name="factory"/>.</summary>
    public GracefulDegradationBuilder UseOperatorStateStore(Func<IServiceProvider, IOperatorStateStore> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return Configure((builder, services) => builder.UseOperatorStateStore(factory(services)));
    }

    /// <summary>Uses <typeparamref name="TStore"/> as the write-ahead log of the write buffer (flushed and disposed when the host stops).</summary>
    public GracefulDegradationBuilder UseWalStore<TStore>() where TStore : class, IWalStore
    {
        Services.TryAddSingleton<TStore>();
        return Configure((builder, services) => builder.UseWalStore((_, _) => ValueTask.FromResult<IWalStore>(services.GetRequiredService<TStore>())));
    }

    /// <summary>Uses the write-ahead log created by <paramref name="factory"/> when the host starts (flushed and disposed when it stops).</summary>
    public GracefulDegradationBuilder UseWalStore(Func<IServiceProvider, IWalStore> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return Configure((builder, services) => builder.UseWalStore((_, _) => ValueTask.FromResult(factory(services))));
    }
}
