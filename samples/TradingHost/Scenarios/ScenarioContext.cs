using Degradation;
using TradingHost.Hosting;
using TradingHost.Reporting;

namespace TradingHost.Scenarios;

/// <summary>What a running scenario can do: log, wait in simulated time, mark the fault and its clearing, and check.</summary>
public sealed class ScenarioContext(TradingEnvironment environment, ScenarioResult result)
{
    /// <summary>Longest simulated wait for an expected state before the scenario fails.</summary>
    public static readonly TimeSpan DefaultWaitLimit = TimeSpan.FromSeconds(120);

    public TradingEnvironment Env { get; } = environment;
    public ScenarioResult Result { get; } = result;

    /// <summary>Timestamp (simulated clock) of the fault injection.</summary>
    public long? FaultAt { get; private set; }

    /// <summary>Timestamp (simulated clock) at which the fault was cleared (or the operator acted).</summary>
    public long? ClearedAt { get; private set; }

    public void Log(string text)
    {
        Env.Log("▶ " + text);
        Result.Timeline.Add(new TimelineMark(Env.SimSeconds(Env.Time.GetTimestamp()), text));
    }

    /// <summary>Logs the fault and marks its time: call it right before injecting the fault.</summary>
    public void Fault(string text)
    {
        Log(text);
        FaultAt = Env.Time.GetTimestamp();
    }

    public void Cleared(string text, long? at = null)
    {
        ClearedAt = at ?? Env.Time.GetTimestamp();
        Log(text);
    }

    public void Expect(bool condition, string failure) => Result.Expect(condition, failure);

    /// <summary>Waits <paramref name="simulated"/> of simulated time.</summary>
    public Task DelayAsync(TimeSpan simulated, CancellationToken cancellationToken) => Task.Delay(simulated, Env.Time, cancellationToken);

    /// <summary>Waits until <paramref name="condition"/> holds; records a failure (and returns false) after <paramref name="limit"/> of simulated time.</summary>
    public async Task<bool> WaitUntilAsync(Func<bool> condition, string what, CancellationToken cancellationToken, TimeSpan? limit = null)
    {
        var start = Env.Time.GetTimestamp();
        var max = limit ?? DefaultWaitLimit;
        while (!condition())
        {
            if (Env.Time.GetElapsedTime(start) > max)
            {
                Expect(false, $"timed out after {max.TotalSeconds:0} s (simulated) waiting for {what}; mode is {Describe(Env.Gate.Mode, Env.Gate.Stage)}");
                return false;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(2), cancellationToken);
        }
        return true;
    }

    public Task<bool> WaitForModeAsync(SystemMode mode, CancellationToken cancellationToken, TimeSpan? limit = null) =>
        WaitUntilAsync(() => Env.Gate.Mode == mode, "mode " + mode, cancellationToken, limit);

    /// <summary>
    /// Publishes a must-deliver event through <paramref name="publish"/> and sets the strategy's fence right after it returns:
    /// from then on, every order decision must find the gate closed.
    /// </summary>
    public void PublishMustDeliver(Action publish)
    {
        publish();
        Env.Strategy.SetFence();
        Result.MustDeliverEvents++;
        Expect(!Env.Gate.Allows(ActionType.Send), $"the gate still allowed sends right after the must-deliver event returned (mode {Env.Gate.Mode})");
    }

    public static string Describe(SystemMode mode, RecoveryStage? stage) => mode + (stage is { } s ? "/" + s : "");
}
