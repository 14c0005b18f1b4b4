namespace Degradation.Recovery;

/// <summary>The result of one <see cref="IRecoveryStep"/> execution.</summary>
public readonly struct RecoveryStepResult
{
    private RecoveryStepResult(RecoveryStepStatus status, string? details, ComponentId component, ReasonCode reason)
    {
        Status = status;
        Details = details;
        Component = component;
        Reason = reason;
    }

    /// <summary>How the step ended.</summary>
    public RecoveryStepStatus Status { get; }
    /// <summary>Free text.</summary>
    public string? Details { get; }
    /// <summary>For <see cref="RecoveryStepStatus.Fatal"/>: the component the published event is about.</summary>
    public ComponentId Component { get; }
    /// <summary>For <see cref="RecoveryStepStatus.Fatal"/>: the reason published (e.g. <c>broker.mismatch</c> → Halt).</summary>
    public ReasonCode Reason { get; }

    /// <summary>The step succeeded.</summary>
    public static RecoveryStepResult Success(string? details = null) => new(RecoveryStepStatus.Succeeded, details, default, default);

    /// <summary>The step failed; the stage will be retried with backoff.</summary>
    public static RecoveryStepResult Failure(string details)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(details);
        return new(RecoveryStepStatus.Failed, details, default, default);
    }

    /// <summary>
    /// The step found a condition retrying cannot fix: the orchestrator publishes a failure event of
    /// <paramref name="component"/> with <paramref name="reason"/> (e.g. <see cref="ReasonCode.BrokerMismatch"/>, which
    /// halts) and stops the run.
    /// </summary>
    public static RecoveryStepResult Fatal(ComponentId component, ReasonCode reason, string details)
    {
        if (component.IsEmpty) throw new ArgumentException("A fatal result needs a component.", nameof(component));
        if (reason.IsEmpty) throw new ArgumentException("A fatal result needs a reason code.", nameof(reason));
        ArgumentException.ThrowIfNullOrWhiteSpace(details);
        return new(RecoveryStepStatus.Fatal, details, component, reason);
    }

    /// <inheritdoc />
    public override string ToString() => Status switch
    {
        RecoveryStepStatus.Succeeded => "succeeded" + (Details is null ? "" : ": " + Details),
        RecoveryStepStatus.Failed => "failed: " + Details,
        _ => $"fatal ({Component} {Reason}): {Details}",
    };
}
