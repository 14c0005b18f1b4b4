namespace Degradation.Composition;

/// <summary>A probe added to a <see cref="DegradationSystemBuilder"/>, created when the runtime starts.</summary>
internal sealed record ProbeRegistration(ComponentId Component, Func<DegradationRuntime, IProbe> Create, ProbeSettings Settings);
