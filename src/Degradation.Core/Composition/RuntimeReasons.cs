namespace Degradation.Composition;

/// <summary>The reasons a <see cref="DegradationRuntime"/> reports about its own lifecycle.</summary>
public static class RuntimeReasons
{
    /// <summary>
    /// The runtime failed to open or start (FailCritical on <see cref="ComponentId.System"/>, so SafeMode unless mapped
    /// otherwise): the gate is shut before anything that started is torn down.
    /// </summary>
    public static readonly ReasonCode StartFailed = new("system.start_failed");
}
