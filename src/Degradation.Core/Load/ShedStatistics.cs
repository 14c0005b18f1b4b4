namespace Degradation.Load;

/// <summary>What a load level would shed from a set of symbols.</summary>
/// <param name="Total">Symbols considered.</param>
/// <param name="Processed">Symbols that would be processed.</param>
/// <param name="Shed">Symbols that would be shed.</param>
public readonly record struct ShedStatistics(int Total, int Processed, int Shed)
{
    /// <summary>Shed as a percentage of the total (0 for no symbols).</summary>
    public double ShedPercentage => Total == 0 ? 0 : Shed * 100.0 / Total;
}
