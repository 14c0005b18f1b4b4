namespace Degradation.Load;

/// <summary>Reason codes the load monitor can report to the state machine (see <see cref="LoadDegradationOptions.StateMachineReasons"/>).</summary>
public static class LoadReasons
{
    /// <summary>The process is at <see cref="LoadLevel.Soft"/>.</summary>
    public static readonly ReasonCode Soft = new("load.soft");
    /// <summary>The process is at <see cref="LoadLevel.Graceful"/>.</summary>
    public static readonly ReasonCode Graceful = new("load.graceful");
    /// <summary>The process is at <see cref="LoadLevel.Aggressive"/>.</summary>
    public static readonly ReasonCode Aggressive = new("load.aggressive");
    /// <summary>The process is at <see cref="LoadLevel.CircuitBreak"/> and stopped accepting data.</summary>
    public static readonly ReasonCode CircuitBreak = new("load.circuit_break");
    /// <summary>The level fell below every reported level (carried by the <see cref="EventType.Recovered"/> event).</summary>
    public static readonly ReasonCode Recovered = new("load.recovered");
}
