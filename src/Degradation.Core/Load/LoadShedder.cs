using System.Collections.Frozen;

namespace Degradation.Load;

/// <summary>
/// Priority load shedding (docs/RULES.md, Load): a message's priority comes from its symbol's tier and its
/// kind (reference data is always Low), and each <see cref="LoadLevel"/> processes priorities down to a
/// configured lowest one. <see cref="ShouldProcess(string, LoadLevel, MarketDataKind)"/> allocates nothing,
/// takes no lock, and only touches a counter when it sheds. Thread-safe.
/// </summary>
public sealed class LoadShedder
{
    private const int PriorityCount = 5;
    private const int LevelCount = 5;

    private readonly FrozenDictionary<string, MessagePriority> _symbolPriority;
    private readonly byte[] _lowestProcessed = new byte[5];
    // One counter per (level, priority): the level is why a message was shed, the priority is its tier.
    private readonly long[] _shed = new long[LevelCount * PriorityCount];
    private readonly LoadLevelMonitor? _monitor;

    /// <summary>Creates a shedder.</summary>
    /// <param name="options">Tiers and table; empty tiers and the default table when null.</param>
    /// <param name="monitor">Supplies the level for the overloads that take none.</param>
    /// <exception cref="DegradationOptionsException">An option is invalid; the message names it.</exception>
    public LoadShedder(LoadSheddingOptions? options = null, LoadLevelMonitor? monitor = null)
    {
        options ??= new LoadSheddingOptions();
        options.ValidateAndThrow();
        _monitor = monitor;
        Tier1 = options.Tier1Symbols.ToFrozenSet(StringComparer.Ordinal);
        Tier2 = options.Tier2Symbols.Where(s => !Tier1.Contains(s)).ToFrozenSet(StringComparer.Ordinal);
        var priorities = new Dictionary<string, MessagePriority>(StringComparer.Ordinal);
        foreach (var symbol in Tier2) priorities[symbol] = MessagePriority.High;
        foreach (var symbol in Tier1) priorities[symbol] = MessagePriority.Critical;
        _symbolPriority = priorities.ToFrozenDictionary(StringComparer.Ordinal);
        foreach (var (level, priority) in LoadSheddingOptions.DefaultTable) _lowestProcessed[(int)level] = (byte)priority;
        foreach (var (level, priority) in options.LowestPriorityProcessed) _lowestProcessed[(int)level] = (byte)priority;
    }

    /// <summary>Tier-1 symbols (Critical).</summary>
    public FrozenSet<string> Tier1 { get; }

    /// <summary>Tier-2 symbols (High), without those also in tier 1.</summary>
    public FrozenSet<string> Tier2 { get; }

    /// <summary>The priority of a message about <paramref name="symbol"/> of <paramref name="kind"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="symbol"/> is null.</exception>
    public MessagePriority GetPriority(string symbol, MarketDataKind kind = MarketDataKind.Trades)
    {
        if (kind == MarketDataKind.ReferenceData) return MessagePriority.Low;
        return _symbolPriority.TryGetValue(symbol, out var priority) ? priority : MessagePriority.Normal;
    }

    /// <summary>The least important priority still processed at <paramref name="level"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Unknown level.</exception>
    public MessagePriority LowestProcessed(LoadLevel level) => (MessagePriority)LowestFor(level);

    /// <summary>True to process, false to shed (counted). Allocation-free; looks the symbol up only when the level sheds something.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Unknown level.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="symbol"/> is null and the level needs a lookup.</exception>
    public bool ShouldProcess(string symbol, LoadLevel level, MarketDataKind kind = MarketDataKind.Trades)
    {
        var lowest = LowestFor(level);
        if (lowest >= (byte)MessagePriority.Low) return true;
        return Admit(GetPriority(symbol, kind), lowest, level);
    }

    /// <summary>True to process, false to shed (counted), for a priority the caller already knows (e.g. cached per symbol).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Unknown level.</exception>
    public bool ShouldProcess(MessagePriority priority, LoadLevel level) => Admit(priority, LowestFor(level), level);

    /// <summary>As <see cref="ShouldProcess(string, LoadLevel, MarketDataKind)"/> at the attached monitor's current level.</summary>
    /// <exception cref="InvalidOperationException">The shedder was created without a monitor.</exception>
    public bool ShouldProcess(string symbol, MarketDataKind kind = MarketDataKind.Trades) =>
        ShouldProcess(symbol, (_monitor ?? throw NoMonitor()).Level, kind);

    /// <summary>What <paramref name="level"/> would shed from <paramref name="symbols"/> (not counted).</summary>
    public ShedStatistics GetShedStats(IEnumerable<string> symbols, LoadLevel level, MarketDataKind kind = MarketDataKind.Trades)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        var lowest = LowestFor(level);
        int total = 0, processed = 0;
        foreach (var symbol in symbols)
        {
            total++;
            if ((byte)GetPriority(symbol, kind) <= lowest) processed++;
        }
        return new ShedStatistics(total, processed, total - processed);
    }

    /// <summary>Messages shed since creation, by priority.</summary>
    public LoadShedderCounters Counters => new(
        SumOverLevels(MessagePriority.Critical), SumOverLevels(MessagePriority.High),
        SumOverLevels(MessagePriority.Normal), SumOverLevels(MessagePriority.Low));

    /// <summary>Messages of <paramref name="priority"/> shed at <paramref name="level"/> since creation (the level is the reason they were shed).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Unknown priority or level.</exception>
    public long GetShedCount(MessagePriority priority, LoadLevel level)
    {
        if ((uint)priority >= PriorityCount || priority == 0)
            throw new ArgumentOutOfRangeException(nameof(priority), priority, $"Unknown message priority '{(int)priority}'.");
        if ((uint)level >= LevelCount) ThrowLevel(level);
        return Interlocked.Read(ref _shed[(int)level * PriorityCount + (int)priority]);
    }

    private long SumOverLevels(MessagePriority priority)
    {
        long total = 0;
        for (var level = 0; level < LevelCount; level++) total += Interlocked.Read(ref _shed[level * PriorityCount + (int)priority]);
        return total;
    }

    private bool Admit(MessagePriority priority, byte lowest, LoadLevel level)
    {
        if ((byte)priority <= lowest) return true;
        if ((uint)priority < PriorityCount) Interlocked.Increment(ref _shed[(int)level * PriorityCount + (int)priority]);
        return false;
    }

    private byte LowestFor(LoadLevel level)
    {
        if ((uint)level >= (uint)_lowestProcessed.Length) ThrowLevel(level);
        return _lowestProcessed[(int)level];
    }

    private static void ThrowLevel(LoadLevel level) =>
        throw new ArgumentOutOfRangeException(nameof(level), level, $"Unknown load level '{(int)level}'.");

    private static InvalidOperationException NoMonitor() =>
        new("This LoadShedder has no LoadLevelMonitor; pass the level explicitly or create it with a monitor.");
}
