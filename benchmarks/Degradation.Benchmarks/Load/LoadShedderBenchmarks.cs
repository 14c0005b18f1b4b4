using BenchmarkDotNet.Attributes;

namespace Degradation.Benchmarks.Load;

/// <summary>Target: ShouldProcess ≤ 5 ns and 0 B.</summary>
[MemoryDiagnoser]
public class LoadShedderBenchmarks
{
    private LoadShedder _shedder = null!;
    private string _tier1 = null!;
    private string _tier2 = null!;
    private string _other = null!;

    [GlobalSetup]
    public void Setup()
    {
        // The example ASX symbol tiers.
        _shedder = new LoadShedder(new LoadSheddingOptions
        {
            Tier1Symbols = ["BHP", "CBA", "CSL", "NAB", "WBC", "ANZ", "WES", "MQG", "RIO", "TLS", "WOW", "FMG", "NCM", "STO", "WPL", "AMC", "GMG", "TCL", "COL", "ALL"],
            Tier2Symbols = ["REA", "QAN", "BXB", "ORG", "JHX", "CPU", "SHL", "ASX", "IAG", "APA", "S32", "MIN", "SGP", "AGL", "RMD", "SEK", "ORI", "QBE", "MPL", "AZJ"],
        });
        // Symbols arrive from the wire: not interned literals.
        _tier1 = new string("MQG".AsSpan());
        _tier2 = new string("QBE".AsSpan());
        _other = new string("XYZ".AsSpan());
    }

    /// <summary>Normal / Soft: the table processes everything, no lookup.</summary>
    [Benchmark(Baseline = true)]
    public bool Normal_NoLookup() => _shedder.ShouldProcess(_other, LoadLevel.Soft);

    /// <summary>Graceful: symbol lookup, processed.</summary>
    [Benchmark]
    public bool Graceful_Tier1_Processed() => _shedder.ShouldProcess(_tier1, LoadLevel.Graceful);

    /// <summary>Aggressive: symbol lookup, tier 2 processed.</summary>
    [Benchmark]
    public bool Aggressive_Tier2_Processed() => _shedder.ShouldProcess(_tier2, LoadLevel.Aggressive);

    /// <summary>CircuitBreak: symbol lookup, shed and counted.</summary>
    [Benchmark]
    public bool CircuitBreak_Other_Shed() => _shedder.ShouldProcess(_other, LoadLevel.CircuitBreak);

    /// <summary>Priority known by the caller (cached per symbol): table lookup only.</summary>
    [Benchmark]
    public bool KnownPriority() => _shedder.ShouldProcess(MessagePriority.High, LoadLevel.Aggressive);
}
