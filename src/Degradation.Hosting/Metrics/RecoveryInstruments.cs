using System.Diagnostics.Metrics;
using Degradation.Buffering;
using Degradation.Caching;
using Degradation.Recovery;
using Degradation.Retry;

namespace Degradation.Hosting;

/// <summary>Retry attempts, write-buffer replays, position reconciliation divergence and cache invalidations.</summary>
internal sealed class RecoveryInstruments(Meter meter)
{
    private readonly Counter<long> _retries = meter.CreateCounter<long>("degradation.retry.attempts", "{attempt}",
        "Retries scheduled after a failure: recovery stage retries (source recovery, by stage) and idempotent operation retries (source operation, by name).");
    private readonly Histogram<double> _replayDuration = meter.CreateHistogram<double>("degradation.replay.duration", "s",
        "Duration of write-buffer replays run by recovery, by outcome (completed or deferred).");
    private readonly Counter<long> _replayEntries = meter.CreateCounter<long>("degradation.replay.entries", "{entry}",
        "Write-buffer entries handled by replays, by outcome (replayed, skipped as duplicate or already applied).");
    private readonly Histogram<long> _divergence = meter.CreateHistogram<long>("degradation.reconciliation.divergence", "{instrument}",
        "Instruments whose local position differed from the broker's, per reconciliation (0 when reconciled).");
    private readonly Counter<long> _invalidations = meter.CreateCounter<long>("degradation.cache.invalidations", "{invalidation}",
        "Cache invalidations run by recovery, by cache.");
    private readonly Counter<long> _invalidatedEntries = meter.CreateCounter<long>("degradation.cache.invalidated_entries", "{entry}",
        "Entries dropped by cache invalidations, by cache.");

    public IDisposable Track(RecoveryOrchestrator orchestrator)
    {
        ArgumentNullException.ThrowIfNull(orchestrator);
        void OnProgress(RecoveryProgress progress)
        {
            if (progress.Kind != RecoveryProgressKind.BackoffScheduled) return;
            _retries.Add(1, MetricTags.Tag(MetricTags.Source, "recovery"), MetricTags.Tag(MetricTags.Stage, WireNames.Of(progress.Stage)));
        }
        orchestrator.Progress += OnProgress;
        return new Unsubscribe(() => orchestrator.Progress -= OnProgress);
    }

    public IDisposable Track(IdempotentRetry retry, string operation)
    {
        ArgumentNullException.ThrowIfNull(retry);
        ArgumentException.ThrowIfNullOrWhiteSpace(operation);
        void OnRetry(RetryScheduled _) => _retries.Add(1, MetricTags.Tag(MetricTags.Source, "operation"), MetricTags.Tag("degradation.operation", operation));
        retry.RetryScheduled += OnRetry;
        return new Unsubscribe(() => retry.RetryScheduled -= OnRetry);
    }

    public IDisposable Track(WriteBufferReplayStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        void OnReplay(WriteBufferReplayRun run)
        {
            _replayDuration.Record(run.Duration.TotalSeconds, MetricTags.Tag(MetricTags.Outcome, run.Deferred ? "deferred" : "completed"));
            if (run.Result.Replayed > 0) _replayEntries.Add(run.Result.Replayed, MetricTags.Tag(MetricTags.Outcome, "replayed"));
            if (run.Result.DuplicatesSkipped > 0) _replayEntries.Add(run.Result.DuplicatesSkipped, MetricTags.Tag(MetricTags.Outcome, "duplicate"));
            if (run.Result.AlreadyApplied > 0) _replayEntries.Add(run.Result.AlreadyApplied, MetricTags.Tag(MetricTags.Outcome, "already_applied"));
        }
        step.Replayed += OnReplay;
        return new Unsubscribe(() => step.Replayed -= OnReplay);
    }

    public IDisposable Track(PositionReconciliationStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        void OnReconciled(PositionReconciliation reconciliation) => _divergence.Record(reconciliation.Divergences.Count,
            MetricTags.Tag(MetricTags.Outcome, reconciliation.IsReconciled ? "reconciled" : "diverged"));
        step.Reconciled += OnReconciled;
        return new Unsubscribe(() => step.Reconciled -= OnReconciled);
    }

    public IDisposable Track(CacheInvalidationStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        void OnInvalidated(CacheInvalidation invalidation)
        {
            var cache = MetricTags.Tag(MetricTags.Cache, invalidation.Cache);
            _invalidations.Add(1, cache);
            _invalidatedEntries.Add(invalidation.EntriesDropped, cache);
        }
        step.Invalidated += OnInvalidated;
        return new Unsubscribe(() => step.Invalidated -= OnInvalidated);
    }
}
