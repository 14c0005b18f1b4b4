namespace Degradation.Operator;

/// <summary>What an <see cref="IOperatorStateStore"/> keeps: the operator Halt and the active override, if any.</summary>
public sealed record OperatorState
{
    /// <summary>Nothing halted, no override.</summary>
    public static OperatorState Empty { get; } = new();

    /// <summary>The operator Halt in force, or null.</summary>
    public OperatorHaltInfo? Halt { get; init; }

    /// <summary>The override in force, with its absolute expiry, or null.</summary>
    public OverrideInfo? Override { get; init; }

    /// <summary>Wall time this state was written.</summary>
    public DateTimeOffset SavedAt { get; init; }
}
