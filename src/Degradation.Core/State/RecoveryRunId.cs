namespace Degradation.State;

/// <summary>Identifies one recovery run. Stage updates carrying a stale run id are ignored.</summary>
/// <param name="Value">Monotonically increasing run number, starting at 1.</param>
public readonly record struct RecoveryRunId(long Value)
{
    /// <inheritdoc />
    public override string ToString() => "run-" + Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
