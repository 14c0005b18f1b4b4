namespace Degradation.Operator;

/// <summary>What an <see cref="IOperatorStateStore"/> keeps: the operator Halt and the active override, if any, of one scope.</summary>
public sealed record OperatorState
{
    /// <summary>Nothing halted, no override.</summary>
    public static OperatorState Empty { get; } = new();

    /// <summary>
    /// The path of the scope this state belongs to: empty for the process (and for everything stored before scopes
    /// existed), <c>"venue-a/acct-1"</c> for an account. Stores write the scope they serve and check it when loading.
    /// </summary>
    public string Scope { get; init; } = string.Empty;

    /// <summary>The operator Halt in force, or null.</summary>
    public OperatorHaltInfo? Halt { get; init; }

    /// <summary>The override in force, with its absolute expiry, or null.</summary>
    public OverrideInfo? Override { get; init; }

    /// <summary>Wall time this state was written.</summary>
    public DateTimeOffset SavedAt { get; init; }
}
