using Degradation.Probes;

namespace Degradation.Hosting;

/// <summary>A probe registered with <see cref="GracefulDegradationBuilder.AddProbe{TProbe}"/>.</summary>
internal sealed record ProbeRegistration(Type ProbeType, ComponentId Component, ProbeSettings Settings);

/// <summary>A recovery step registered with <see cref="GracefulDegradationBuilder.AddRecoveryStep{TStep}"/>.</summary>
internal sealed record RecoveryStepRegistration(Type StepType, RecoveryStage Stage);

/// <summary>Whether the write buffer also replays as a recovery step.</summary>
internal sealed record WriteBufferRegistration(RecoveryStage? ReplayStage);

/// <summary>
/// Which write-ahead log the write buffer got when no store was chosen explicitly, or that the in-memory store was
/// chosen explicitly (<see cref="GracefulDegradationBuilder.UseInMemoryWal"/>): logged when the host starts.
/// </summary>
internal sealed record WalStoreChoice(bool InMemory, bool IsDefault);
