using Microsoft.Extensions.Time.Testing;
using System.Collections.Concurrent;
using System.Text;
using Degradation.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Degradation.Tests;

/// <summary>Builds real generic hosts (Host.CreateApplicationBuilder) with a manual clock and captured logs.</summary>
internal static class TestHosts
{
    public static HostApplicationBuilder Builder(string? json = null, FakeTimeProvider? time = null, CapturingLoggerProvider? logs = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Testing" });
        if (json is not null) builder.Configuration.AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json)));
        builder.Services.AddSingleton<TimeProvider>(time ?? new FakeTimeProvider(FakeTimeProviderExtensions.TestStart));
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        if (logs is not null) builder.Logging.AddProvider(logs);
        return builder;
    }

    /// <summary>Heartbeats the critical components, walks the cold-start run to Ready and waits out the stability time.</summary>
    public static async Task BringToNormalAsync(DegradationSystem system, FakeTimeProvider time)
    {
        foreach (var c in new[] { ComponentId.Broker, ComponentId.MarketData, ComponentId.Risk }) system.Heartbeat(c, TimeSpan.FromHours(1));
        await system.Bus.DrainAsync();
        // The hosted recovery orchestrator walks the cold-start run to Ready (no steps registered here), off this thread.
        await UntilAsync(system, () => system.Gate.Stage == RecoveryStage.Ready, "the cold-start run reaching Ready");
        time.Advance(system.Options.Recovery.StablePeriod + TimeSpan.FromSeconds(0.2));
        Assert.Equal(SystemMode.Normal, system.Gate.Mode);
    }

    /// <summary>
    /// Completes once <paramref name="condition"/> on the system's state holds, re-checking on every transition
    /// (no polling budget to run out on a slow machine). The timeout only stops a hung test; expiry fails it.
    /// </summary>
    public static async Task UntilAsync(DegradationSystem system, Func<bool> condition, string what)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Subscribed before the first check, so a transition in between is not missed.
        using var subscription = system.StateMachine.SubscribeTransitions(_ => { if (condition()) reached.TrySetResult(); });
        if (condition()) return;
        try { await reached.Task.WaitAsync(HangGuard); }
        catch (TimeoutException) { Assert.Fail($"{what}: not reached within the {HangGuard.TotalSeconds:0} s hang guard (mode {system.Gate.Mode}, stage {system.Gate.Stage})"); }
    }

    /// <summary>Only stops a hung test; expiry is a failure.</summary>
    public static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);
}

internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<(string Category, LogLevel Level, EventId Id, string Message, IReadOnlyList<KeyValuePair<string, object?>> State)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var fields = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
            owner.Entries.Enqueue((category, logLevel, eventId, formatter(state, exception), fields));
        }
    }
}
