using System.Globalization;

namespace Degradation.Reporting;

/// <summary>Reports each fallback chain: the primary's state, the active tier and its quality, the ramp, pending approvals and broken tiers.</summary>
public sealed class FallbackStatusSection : IStatusSection
{
    private readonly FallbackChain[] _chains;

    /// <summary>Creates the section for <paramref name="chains"/>.</summary>
    public FallbackStatusSection(params IEnumerable<FallbackChain> chains)
    {
        ArgumentNullException.ThrowIfNull(chains);
        _chains = [.. chains];
        if (Array.Exists(_chains, c => c is null)) throw new ArgumentException("A chain is null.", nameof(chains));
    }

    /// <inheritdoc />
    public string Name => "Fallbacks";

    /// <inheritdoc />
    public IEnumerable<string> GetLines()
    {
        if (_chains.Length == 0)
        {
            yield return "(no fallback chains)";
            yield break;
        }
        var active = 0;
        foreach (var chain in _chains)
        {
            var s = chain.GetStatus();
            if (s.IsFallbackActive) active++;
            var tier = s.ActiveTier is { } t ? $"{t.Name} ({t.Quality}% quality)" : "NONE USABLE";
            var state = s.PrimaryState switch
            {
                PrimaryTierState.Active => "primary active",
                PrimaryTierState.Broken => "primary BROKEN",
                _ => string.Format(CultureInfo.InvariantCulture, "primary restoring: step {0}, {1}% of traffic", (s.RampStep ?? 0) + 1, s.PrimaryTrafficPercent),
            };
            yield return $"{(s.IsFallbackActive ? "*" : "-")} {s.Name}: {state}; serving {tier}";
            var broken = s.Tiers.Where(x => x.IsBroken).Select(x => x.Tier.Name).ToList();
            if (broken.Count > 0) yield return "    broken tiers: " + string.Join(", ", broken);
            if (s.PendingApprovals.Count > 0) yield return "    awaiting approval: " + string.Join(", ", s.PendingApprovals);
            if (s.PrimaryState == PrimaryTierState.Restoring && s.LastValidation is { } v) yield return "    last validation " + v;
        }
        yield return string.Format(CultureInfo.InvariantCulture, "Active fallbacks: {0} of {1} chains", active, _chains.Length);
    }
}
