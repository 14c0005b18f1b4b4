namespace Degradation.Composition;

/// <summary>What a <see cref="DegradationSystemBuilder"/> registered, handed to the <see cref="DegradationRuntime"/> it built.</summary>
internal sealed record DegradationComposition(
    IReadOnlyList<ProbeRegistration> Probes,
    IReadOnlyList<RecoveryStepRegistration> RecoverySteps,
    IReadOnlyList<AlertSinkRegistration> AlertSinks,
    IReadOnlyList<IAuditStore> AuditStores,
    WriteBufferRegistration? WriteBuffer,
    Func<DegradationRuntime, CancellationToken, ValueTask<IWalStore>>? OpenWalStore);
