namespace Degradation.Scopes;

/// <summary>
/// The configuration of one scope below the process. Every threshold (dwell, stability, override bounds, decision
/// matrix, limits) is the process's; what differs is which components the scope owns.
/// </summary>
public sealed class ScopeOptions
{
    /// <summary>
    /// The components this scope owns, by name: a venue's <c>broker</c> and <c>market_data</c>, an account's
    /// <c>risk</c>. A component not listed here is optional in this scope, well-known ones included, so a
    /// strategy scope does not wait for a broker it does not have before its recovery can land.
    /// </summary>
    /// <value>Empty: the scope owns no critical component.</value>
    public Dictionary<string, ComponentOptions> Components { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How many transitions the scope's state machine keeps in memory; the process's <see cref="StateMachineOptions.TransitionHistorySize"/> when null.</summary>
    /// <value>Null.</value>
    public int? TransitionHistorySize { get; set; }

    /// <summary>Registers <paramref name="name"/> as a critical component of this scope and returns these options.</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    public ScopeOptions WithCritical(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Components[name] = new ComponentOptions { Critical = true };
        return this;
    }
}
