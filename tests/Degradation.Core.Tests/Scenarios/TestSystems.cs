using Microsoft.Extensions.Time.Testing;
using Degradation.Testing;

namespace Degradation.Tests.Scenarios;

/// <summary>Builds systems on a manual clock and drives them to known states (bus not started: events are processed with ProcessPending).</summary>
internal static class TestSystems
{
    public static readonly ComponentId[] Critical = [ComponentId.Broker, ComponentId.MarketData, ComponentId.Risk];

    public static DegradationSystem Create(FakeTimeProvider time, Action<DegradationOptions>? configure = null)
    {
        var options = new DegradationOptions();
        configure?.Invoke(options);
        return DegradationSystem.Create(options, time);
    }

    /// <summary>Heartbeats the critical components, walks the cold-start run through its stages and waits out the stability window.</summary>
    public static void DriveToNormal(DegradationSystem system, FakeTimeProvider time) =>
        NormalSystems.DriveToNormal(system, time, heartbeatAgain: true);

    /// <summary>Waits for a task with a generous real-time safety limit (never a sleep: it returns as soon as the task completes).</summary>
    public static async Task<T> Within<T>(this Task<T> task, int seconds = 60) => await task.WaitAsync(TimeSpan.FromSeconds(seconds));

    /// <inheritdoc cref="Within{T}(Task{T}, int)"/>
    public static async Task Within(this Task task, int seconds = 60) => await task.WaitAsync(TimeSpan.FromSeconds(seconds));
}
