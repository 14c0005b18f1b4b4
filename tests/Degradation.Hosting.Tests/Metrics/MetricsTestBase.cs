using Degradation.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Degradation.Tests.Metrics;

/// <summary>
/// A system on a fake clock, its <see cref="DegradationMetrics"/> and a recorder listening to them: what every metrics
/// test class starts from. Each test gets its own (xUnit creates the class per test).
/// </summary>
public abstract class MetricsTestBase : IAsyncLifetime
{
    /// <summary>The system's clock, at a fixed Monday morning.</summary>
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
    /// <summary>The system under test.</summary>
    protected DegradationSystem SystemUnderTest { get; private set; } = null!;
    /// <summary>The instruments of <see cref="SystemUnderTest"/>.</summary>
    protected DegradationMetrics Metrics { get; private set; } = null!;
    /// <summary>What <see cref="Metrics"/> measured.</summary>
    internal MetricsRecorder Recorder { get; private set; } = null!;

    /// <inheritdoc />
    public Task InitializeAsync()
    {
        SystemUnderTest = DegradationSystem.Create(timeProvider: Time);
        Metrics = new DegradationMetrics(SystemUnderTest);
        Recorder = new MetricsRecorder(Metrics.Meter);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        Recorder.Dispose();
        Metrics.Dispose();
        await SystemUnderTest.DisposeAsync();
    }
}
