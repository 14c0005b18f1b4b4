using System.Globalization;

namespace Degradation.Recovery;

/// <summary>
/// A recovery step that compares local positions with the broker's after a reconnect. A difference beyond
/// the tolerance is fatal: it reports <c>broker.mismatch</c> (must-deliver, Halt) naming every differing instrument.
/// Failing to load either side is an ordinary, retryable failure.
/// </summary>
public sealed class PositionReconciliationStep : IRecoveryStep
{
    private readonly Func<CancellationToken, ValueTask<IReadOnlyDictionary<string, decimal>>> _local;
    private readonly Func<CancellationToken, ValueTask<IReadOnlyDictionary<string, decimal>>> _broker;
    private readonly decimal _tolerance;

    /// <summary>Creates the step.</summary>
    /// <param name="localPositions">Loads the positions the application believes it holds (instrument → signed quantity).</param>
    /// <param name="brokerPositions">Loads the broker's positions.</param>
    /// <param name="tolerance">Largest absolute difference accepted per instrument; must not be negative.</param>
    /// <param name="name">The step's name.</param>
    public PositionReconciliationStep(
        Func<CancellationToken, ValueTask<IReadOnlyDictionary<string, decimal>>> localPositions,
        Func<CancellationToken, ValueTask<IReadOnlyDictionary<string, decimal>>> brokerPositions,
        decimal tolerance = 0m, string name = "reconcile positions")
    {
        ArgumentNullException.ThrowIfNull(localPositions);
        ArgumentNullException.ThrowIfNull(brokerPositions);
        ArgumentOutOfRangeException.ThrowIfNegative(tolerance);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _local = localPositions;
        _broker = brokerPositions;
        _tolerance = tolerance;
        Name = name;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>
    /// Raised after every comparison (reconciled or not) with its outcome, before the step returns: the
    /// application's "positions reconciled" signal, and the source of the divergence metric. A throwing handler
    /// is ignored.
    /// </summary>
    public event Action<PositionReconciliation>? Reconciled;

    /// <inheritdoc />
    public async ValueTask<RecoveryStepResult> ExecuteAsync(RecoveryStepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var local = await _local(cancellationToken).ConfigureAwait(false);
        var broker = await _broker(cancellationToken).ConfigureAwait(false);
        var mismatches = Compare(local, broker, _tolerance);
        var instruments = local.Keys.Union(broker.Keys, StringComparer.Ordinal).Count();
        Notify(new PositionReconciliation(instruments, mismatches, context.TimeProvider.GetUtcNow()));
        if (mismatches.Count == 0)
            return RecoveryStepResult.Success(string.Create(CultureInfo.InvariantCulture, $"{broker.Count} position(s) match the broker"));
        return RecoveryStepResult.Fatal(ComponentId.Broker, ReasonCode.BrokerMismatch, "positions differ from the broker: " + string.Join("; ", mismatches));
    }

    private void Notify(PositionReconciliation reconciliation)
    {
        var handlers = Reconciled;
        if (handlers is null) return;
        foreach (var handler in handlers.GetInvocationList())
        {
            try { ((Action<PositionReconciliation>)handler)(reconciliation); }
            catch (Exception) { /* an observer must not change the reconciliation's verdict */ }
        }
    }

    /// <summary>Describes every instrument whose quantities differ by more than <paramref name="tolerance"/> (a missing side counts as 0).</summary>
    public static IReadOnlyList<string> Compare(IReadOnlyDictionary<string, decimal> local, IReadOnlyDictionary<string, decimal> broker, decimal tolerance = 0m)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(broker);
        var result = new List<string>();
        foreach (var instrument in local.Keys.Union(broker.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var mine = local.GetValueOrDefault(instrument);
            var theirs = broker.GetValueOrDefault(instrument);
            if (Math.Abs(mine - theirs) > tolerance)
                result.Add(string.Create(CultureInfo.InvariantCulture, $"{instrument}: local {mine}, broker {theirs}"));
        }
        return result;
    }
}
