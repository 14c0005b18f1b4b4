namespace Degradation.Fallback;

/// <summary>
/// A fallback chain that produces a <typeparamref name="T"/>: <see cref="ExecuteAsync"/> tries the
/// tiers in order and tells the caller which tier answered and at what quality. While the primary is active
/// a call costs one volatile read more than calling the primary directly (and allocates nothing when the
/// primary completes synchronously); governance (see <see cref="FallbackChain"/>) runs only when something
/// fails or the primary is being restored.
/// </summary>
/// <typeparam name="T">What the chain produces.</typeparam>
/// <example>
/// <code>
/// var quotes = new FallbackChainBuilder&lt;Quote&gt;("quotes")
///     .Primary(ct =&gt; primaryFeed.GetAsync(ct))
///     .Secondary(ct =&gt; backupFeed.GetAsync(ct))
///     .Cache(ct =&gt; new ValueTask&lt;Quote&gt;(cache.Last))
///     .Build(timeProvider, audit, alerts);
/// var result = await quotes.ExecuteAsync(ct);
/// if (result.IsFallback) logger.LogWarning("quote from {Tier} at {Quality}%", result.TierName, result.Quality);
/// </code>
/// </example>
public sealed class FallbackChain<T> : FallbackChain
{
    private readonly Func<CancellationToken, ValueTask<T>>[] _handlers;
    private readonly Func<CancellationToken, ValueTask<T>> _primary;
    private readonly FallbackTierInfo _primaryInfo;
    private readonly TierBreaker _primaryBreaker;

    /// <summary>Creates a chain; the first tier is the primary.</summary>
    /// <param name="name">The chain's name (used in audit entries, alerts and reports).</param>
    /// <param name="tiers">The tiers, in order.</param>
    /// <param name="options">Governance options; defaults when null.</param>
    /// <param name="timeProvider">Clock for breaks, ramp steps and latencies; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="audit">When given, every transition and approval is appended to it.</param>
    /// <param name="alerts">When given, failovers, rollbacks, restorations and approval requests are raised through it.</param>
    /// <exception cref="ArgumentException">No tiers, duplicate tier names, or a primary that requires approval.</exception>
    /// <exception cref="DegradationOptionsException">An option is invalid; the message names it.</exception>
    public FallbackChain(string name, IEnumerable<FallbackTier<T>> tiers, FallbackChainOptions? options = null,
        TimeProvider? timeProvider = null, AuditTrail? audit = null, AlertRouter? alerts = null)
        : this(name, Materialize(tiers), options, timeProvider, audit, alerts)
    {
    }

    private FallbackChain(string name, FallbackTier<T>[] tiers, FallbackChainOptions? options, TimeProvider? timeProvider, AuditTrail? audit, AlertRouter? alerts)
        : base(name, [.. tiers.Select(t => (t.Name, t.Kind, t.Quality, t.RequiresApproval))], options, timeProvider, audit, alerts)
    {
        _handlers = [.. tiers.Select(t => t.Handler)];
        _primary = _handlers[0];
        _primaryInfo = _tiers[0];
        _primaryBreaker = _breakers[0];
    }

    /// <summary>
    /// Produces a value from the first tier that can answer. Never throws for a tier's failure: when no tier
    /// answers, the result carries a <see cref="FallbackChainExhaustedException"/>. The caller's cancellation
    /// propagates as <see cref="OperationCanceledException"/> and is not counted as a tier failure.
    /// </summary>
    public ValueTask<FallbackResult<T>> ExecuteAsync(CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _primaryState) != (int)PrimaryTierState.Active) return ExecuteFromAsync(0, cancellationToken);

        ValueTask<T> pending;
        try
        {
            pending = _primary(cancellationToken);
        }
        catch (Exception ex) when (!IsCallerCancellation(ex, cancellationToken))
        {
            return FallBackAsync(cancellationToken);
        }
        if (pending.IsCompletedSuccessfully)
        {
            _primaryBreaker.RecordSuccess();
#pragma warning disable RS0030 // completed successfully: reading it does not block
            return new ValueTask<FallbackResult<T>>(new FallbackResult<T>(pending.Result, _primaryInfo));
#pragma warning restore RS0030
        }
        return AwaitPrimaryAsync(pending, cancellationToken);
    }

    private async ValueTask<FallbackResult<T>> AwaitPrimaryAsync(ValueTask<T> pending, CancellationToken cancellationToken)
    {
        T value;
        try
        {
            value = await pending.ConfigureAwait(false);
        }
        catch (Exception ex) when (!IsCallerCancellation(ex, cancellationToken))
        {
            return await FallBackAsync(cancellationToken).ConfigureAwait(false);
        }
        _primaryBreaker.RecordSuccess();
        return new FallbackResult<T>(value, _primaryInfo);
    }

    private ValueTask<FallbackResult<T>> FallBackAsync(CancellationToken cancellationToken)
    {
        Complete(0, TierAdmission.Primary, default, 0, success: false);
        return ExecuteFromAsync(1, cancellationToken);
    }

    private async ValueTask<FallbackResult<T>> ExecuteFromAsync(int first, CancellationToken cancellationToken)
    {
        Exception? lastFailure = null;
        for (var i = first; i < _handlers.Length; i++)
        {
            var trial = default(BreakerPermit);
            var admission = i == 0 ? AdmitPrimary() : AdmitFallback(i, out trial);
            if (admission == TierAdmission.Skip) continue;
            var startedAt = admission == TierAdmission.RampProbe ? _time.GetTimestamp() : 0;
            try
            {
                var value = await _handlers[i](cancellationToken).ConfigureAwait(false);
                Complete(i, admission, trial, startedAt, success: true);
                return new FallbackResult<T>(value, _tiers[i]);
            }
            catch (Exception ex) when (IsCallerCancellation(ex, cancellationToken))
            {
                Abandon(i, admission, trial);
                throw;
            }
            catch (Exception ex)
            {
                Complete(i, admission, trial, startedAt, success: false);
                lastFailure = ex;
            }
        }
        return new FallbackResult<T>(new FallbackChainExhaustedException(Name, lastFailure));
    }

    private static bool IsCallerCancellation(Exception ex, CancellationToken cancellationToken) =>
        ex is OperationCanceledException && cancellationToken.IsCancellationRequested;

    private static FallbackTier<T>[] Materialize(IEnumerable<FallbackTier<T>> tiers)
    {
        ArgumentNullException.ThrowIfNull(tiers);
        var array = tiers.ToArray();
        if (Array.Exists(array, t => t is null)) throw new ArgumentException("A tier is null.", nameof(tiers));
        return array;
    }
}
