using Degradation.Events;

namespace Degradation.AspNetCore.Contracts;

/// <summary>The failure type of a component's strictest condition, from the failure taxonomy.</summary>
public sealed class FailureTypeResponse
{
    /// <summary>The type, e.g. <c>network_partition</c>.</summary>
    public required string Type { get; init; }
    /// <summary>How it is detected, e.g. <c>connectivity_check</c>.</summary>
    public required string Detection { get; init; }
    /// <summary>How long recovering from it typically takes, in minutes (an estimate, never a timer).</summary>
    public required double TypicalRecoveryMinutes { get; init; }
    /// <summary>True when it usually needs a person to fix.</summary>
    public required bool RequiresManualIntervention { get; init; }
    /// <summary><c>info</c>, <c>warning</c> or <c>critical</c>.</summary>
    public required string Severity { get; init; }
}
