namespace Degradation.Scopes;

/// <summary>A transition of one scope's own mode authority, with the scope it happened in.</summary>
/// <param name="Scope">The scope whose state machine made the transition.</param>
/// <param name="Transition">The transition (its <see cref="ModeTransition.Scope"/> names the scope's path too).</param>
public readonly record struct ScopeTransition(TradingScope Scope, ModeTransition Transition);
