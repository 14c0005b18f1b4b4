namespace Degradation.Composition;

/// <summary>A scope added to a <see cref="DegradationSystemBuilder"/>, created with the system.</summary>
internal sealed record ScopeRegistration(string Path, ScopeOptions? Options);
