namespace Degradation.Caching;

/// <summary>
/// A recovery step that invalidates caches after a reconnect (no stale cache is served once the source is
/// back). Register it on the stage after the reconnect, e.g. <see cref="RecoveryStage.CatchupMarketData"/>.
/// </summary>
public sealed class CacheInvalidationStep : IRecoveryStep
{
    private readonly IInvalidatableCache[] _caches;

    /// <summary>Creates a step that invalidates <paramref name="caches"/>.</summary>
    public CacheInvalidationStep(params IInvalidatableCache[] caches) : this("invalidate caches", caches)
    {
    }

    /// <summary>Creates a named step that invalidates <paramref name="caches"/>.</summary>
    public CacheInvalidationStep(string name, params IInvalidatableCache[] caches)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(caches);
        if (caches.Length == 0) throw new ArgumentException("At least one cache is needed.", nameof(caches));
        if (caches.Any(c => c is null)) throw new ArgumentException("A cache is null.", nameof(caches));
        Name = name;
        _caches = [.. caches];
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>Raised once per cache after it was invalidated, for metrics and logs. A throwing handler is ignored.</summary>
    public event Action<CacheInvalidation>? Invalidated;

    /// <inheritdoc />
    public ValueTask<RecoveryStepResult> ExecuteAsync(RecoveryStepContext context, CancellationToken cancellationToken)
    {
        var dropped = new List<string>(_caches.Length);
        foreach (var cache in _caches)
        {
            var invalidation = new CacheInvalidation(cache.Name, cache.InvalidateAll());
            dropped.Add($"{invalidation.Cache}: {invalidation.EntriesDropped}");
            Notify(invalidation);
        }
        return ValueTask.FromResult(RecoveryStepResult.Success("invalidated " + string.Join(", ", dropped)));
    }

    private void Notify(in CacheInvalidation invalidation)
    {
        var handlers = Invalidated;
        if (handlers is null) return;
        foreach (var handler in handlers.GetInvocationList())
        {
            try { ((Action<CacheInvalidation>)handler)(invalidation); }
            catch (Exception) { /* an observer must not fail the invalidation */ }
        }
    }
}
