namespace Degradation.Fallback;

/// <summary>
/// What a <see cref="FallbackChain{T}"/> call produced: the value, and which tier answered at what quality; or,
/// when no tier could answer, the error.
/// </summary>
/// <typeparam name="T">What the chain produces.</typeparam>
public readonly struct FallbackResult<T>
{
    internal FallbackResult(T value, FallbackTierInfo tier)
    {
        Value = value;
        Tier = tier;
        Error = null;
    }

    internal FallbackResult(FallbackChainExhaustedException error)
    {
        Value = default!;
        Tier = null;
        Error = error;
    }

    /// <summary>The answer; default when <see cref="Succeeded"/> is false.</summary>
    public T Value { get; }
    /// <summary>The tier that answered; null when none could.</summary>
    public FallbackTierInfo? Tier { get; }
    /// <summary>Why no tier answered; null on success.</summary>
    public FallbackChainExhaustedException? Error { get; }
    /// <summary>True when a tier answered.</summary>
    public bool Succeeded => Tier is not null;
    /// <summary>The answering tier's quality in percent; 0 when none answered.</summary>
    public int Quality => Tier?.Quality ?? 0;
    /// <summary>True when the primary answered.</summary>
    public bool IsPrimary => Tier is { Index: 0 };
    /// <summary>True when a tier other than the primary answered.</summary>
    public bool IsFallback => Tier is { Index: > 0 };
    /// <summary>The answering tier's name, or null.</summary>
    public string? TierName => Tier?.Name;

    /// <summary>The value, or the <see cref="FallbackChainExhaustedException"/> when no tier answered.</summary>
    public T GetValueOrThrow() => Tier is not null ? Value : throw Error!;

    /// <inheritdoc />
    public override string ToString() => Tier is { } tier ? $"answered by {tier}" : $"failed: {Error?.Message}";
}
