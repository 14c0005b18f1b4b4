using System.Globalization;

namespace Degradation.Load;

/// <summary>Symbol tiers and the level → priority table of the <see cref="LoadShedder"/>.</summary>
public sealed class LoadSheddingOptions
{
    /// <summary>Tier-1 symbols (<see cref="MessagePriority.Critical"/>). Empty by default: configure yours.</summary>
    public HashSet<string> Tier1Symbols { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Tier-2 symbols (<see cref="MessagePriority.High"/>). A symbol in both tiers is tier 1.</summary>
    public HashSet<string> Tier2Symbols { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The least important priority still processed at each level. The default table: Normal and Soft process
    /// everything (Low), Graceful drops Low (Normal), Aggressive keeps Critical and High (High), CircuitBreak
    /// keeps only Critical. A level missing here keeps the default entry.
    /// </summary>
    public Dictionary<LoadLevel, MessagePriority> LowestPriorityProcessed { get; set; } = new(DefaultTable);

    /// <summary>The default level → lowest processed priority table.</summary>
    public static IReadOnlyDictionary<LoadLevel, MessagePriority> DefaultTable { get; } = new Dictionary<LoadLevel, MessagePriority>
    {
        [LoadLevel.Normal] = MessagePriority.Low,
        [LoadLevel.Soft] = MessagePriority.Low,
        [LoadLevel.Graceful] = MessagePriority.Normal,
        [LoadLevel.Aggressive] = MessagePriority.High,
        [LoadLevel.CircuitBreak] = MessagePriority.Critical,
    };

    /// <summary>Checks every value and returns one message per invalid option (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Tier1Symbols is null) errors.Add($"{nameof(Tier1Symbols)} must not be null.");
        else if (Tier1Symbols.Any(string.IsNullOrWhiteSpace)) errors.Add($"{nameof(Tier1Symbols)} has an empty symbol.");
        if (Tier2Symbols is null) errors.Add($"{nameof(Tier2Symbols)} must not be null.");
        else if (Tier2Symbols.Any(string.IsNullOrWhiteSpace)) errors.Add($"{nameof(Tier2Symbols)} has an empty symbol.");
        foreach (var (level, priority) in LowestPriorityProcessed ?? [])
        {
            if (!Enum.IsDefined(level)) errors.Add($"{nameof(LowestPriorityProcessed)} has unknown level '{((int)level).ToString(CultureInfo.InvariantCulture)}'.");
            else if (!Enum.IsDefined(priority)) errors.Add($"{nameof(LowestPriorityProcessed)}:{level} has unknown priority '{((int)priority).ToString(CultureInfo.InvariantCulture)}'.");
        }
        return errors;
    }

    /// <summary>Throws <see cref="DegradationOptionsException"/> naming every invalid option.</summary>
    public void ValidateAndThrow()
    {
        var errors = Validate();
        if (errors.Count > 0) throw new DegradationOptionsException(errors);
    }
}
