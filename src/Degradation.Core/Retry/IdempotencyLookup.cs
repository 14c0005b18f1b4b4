namespace Degradation.Retry;

/// <summary>The answer of an idempotency check: whether an earlier attempt already took effect, and its result.</summary>
/// <typeparam name="TResult">The operation's result type.</typeparam>
public readonly record struct IdempotencyLookup<TResult>
{
    private IdempotencyLookup(bool found, TResult? value)
    {
        Found = found;
        Value = value;
    }

    /// <summary>True when an earlier attempt took effect.</summary>
    public bool Found { get; }

    /// <summary>The earlier attempt's result when <see cref="Found"/>.</summary>
    public TResult? Value { get; }

    /// <summary>No earlier attempt took effect: a retry is safe.</summary>
    public static IdempotencyLookup<TResult> NotFound => default;

    /// <summary>An earlier attempt took effect with <paramref name="value"/>: it must not be sent again.</summary>
    public static IdempotencyLookup<TResult> Existing(TResult value) => new(true, value);
}
