namespace Degradation.Retry;

/// <summary>
/// Retries an operation such as an order submission with bounded exponential backoff, checking before
/// every retry whether an earlier attempt already took effect, so a retried order is never sent twice. A failed
/// idempotency check blocks the retry (the order might exist): the next attempt checks again after the backoff.
/// Thread-safe; one instance can run many executions.
/// </summary>
public sealed class IdempotentRetry
{
    private readonly IdempotentRetryOptions _options;
    private readonly ExponentialBackoff _backoff;
    private readonly TimeProvider _time;

    /// <summary>Creates a retry helper.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is invalid; the message names it.</exception>
    public IdempotentRetry(IdempotentRetryOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _backoff = options.Validate();
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The backoff series used between attempts.</summary>
    public ExponentialBackoff Backoff => _backoff;

    /// <summary>Raised when a retry's delay has started (the delay timer already exists). Observer exceptions are ignored.</summary>
    public event Action<RetryScheduled>? RetryScheduled;

    /// <summary>Runs <paramref name="operation"/> with retries and idempotency checks.</summary>
    /// <exception cref="RetryExhaustedException">Every attempt failed.</exception>
    /// <exception cref="GateRefusedException">The gate closed between attempts and the order was not found.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<IdempotentRetryResult<TResult>> ExecuteAsync<TResult>(string idempotencyKey, IIdempotentOperation<TResult> operation, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(idempotencyKey);
        ArgumentNullException.ThrowIfNull(operation);
        return RunAsync(idempotencyKey, operation.SubmitAsync, operation.FindExistingAsync, cancellationToken);
    }

    /// <summary>Runs <paramref name="submit"/> with retries, calling <paramref name="findExisting"/> before each retry.</summary>
    /// <exception cref="RetryExhaustedException">Every attempt failed.</exception>
    /// <exception cref="GateRefusedException">The gate closed between attempts and the order was not found.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<IdempotentRetryResult<TResult>> ExecuteAsync<TResult>(string idempotencyKey,
        Func<string, CancellationToken, ValueTask<TResult>> submit,
        Func<string, CancellationToken, ValueTask<IdempotencyLookup<TResult>>> findExisting,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(idempotencyKey);
        ArgumentNullException.ThrowIfNull(submit);
        ArgumentNullException.ThrowIfNull(findExisting);
        return RunAsync(idempotencyKey, submit, findExisting, cancellationToken);
    }

    private async Task<IdempotentRetryResult<TResult>> RunAsync<TResult>(string key,
        Func<string, CancellationToken, ValueTask<TResult>> submit,
        Func<string, CancellationToken, ValueTask<IdempotencyLookup<TResult>>> findExisting,
        CancellationToken cancellationToken)
    {
        var submissions = 0;
        Exception? lastFailure = null;
        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                if (attempt > 1)
                {
                    // Any earlier attempt may have reached the broker even though it failed for us: look before resending.
                    var existing = await findExisting(key, cancellationToken).ConfigureAwait(false);
                    if (existing.Found) return new IdempotentRetryResult<TResult>(existing.Value!, attempt, submissions, FoundExisting: true);
                    if (_options.Gate is { } gate && !gate.Allows(_options.GateAction))
                        throw new GateRefusedException(key, _options.GateAction, gate.Check(_options.GateAction), lastFailure);
                }
                submissions++;
                var value = await submit(key, cancellationToken).ConfigureAwait(false);
                return new IdempotentRetryResult<TResult>(value, attempt, submissions, FoundExisting: false);
            }
            catch (GateRefusedException)
            {
                throw;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex) when (_options.IsRetryable?.Invoke(ex) ?? true)
            {
                lastFailure = ex;
            }
            if (attempt >= _options.MaxAttempts) throw new RetryExhaustedException(key, attempt, submissions, lastFailure!);

            var delay = _backoff.DelayBeforeRetry(attempt);
            var wait = Task.Delay(delay, _time, cancellationToken);
            Notify(new RetryScheduled(key, attempt + 1, delay, lastFailure!));
            await wait.ConfigureAwait(false);
        }
    }

    private void Notify(RetryScheduled scheduled)
    {
        try { RetryScheduled?.Invoke(scheduled); }
        catch (Exception) { /* an observer must not break the retry loop */ }
    }
}
