namespace Degradation.Fallback;

/// <summary>No tier of a fallback chain could answer: each failed, was broken, or needed an approval that was not given.</summary>
public sealed class FallbackChainExhaustedException : Exception
{
    /// <summary>Creates the exception for chain <paramref name="chain"/>; <paramref name="lastFailure"/> is the last tier failure seen, if any.</summary>
    public FallbackChainExhaustedException(string chain, Exception? lastFailure)
        : base($"Fallback chain '{chain}' has no tier that could answer" + (lastFailure is null ? " (every tier is broken or awaits approval)." : $"; last failure: {lastFailure.Message}"), lastFailure)
    {
        Chain = chain;
    }

    /// <summary>The chain's name.</summary>
    public string Chain { get; }
}
