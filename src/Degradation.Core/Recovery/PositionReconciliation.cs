namespace Degradation.Recovery;

/// <summary>The outcome of one comparison of local positions with the broker's (see <see cref="PositionReconciliationStep"/>).</summary>
/// <param name="Instruments">Instruments compared (the union of both sides).</param>
/// <param name="Divergences">One description per instrument whose quantities differ beyond the tolerance; empty when reconciled.</param>
/// <param name="WallTime">When the comparison finished.</param>
public sealed record PositionReconciliation(int Instruments, IReadOnlyList<string> Divergences, DateTimeOffset WallTime)
{
    /// <summary>True when every instrument matched within the tolerance.</summary>
    public bool IsReconciled => Divergences.Count == 0;
}
