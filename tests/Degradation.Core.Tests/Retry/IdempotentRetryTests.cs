using Microsoft.Extensions.Time.Testing;
using System.Threading.Channels;
using Degradation.Testing;
using Degradation.Tests.Scenarios;

namespace Degradation.Tests.Retry;

public class IdempotentRetryTests
{
    private readonly FakeTimeProvider _time = new(FakeTimeProviderExtensions.TestStart);

    /// <summary>A fake broker: records every order it receives; can lose the acknowledgement of the first ones.</summary>
    private sealed class FakeBroker(FakeTimeProvider time) : IIdempotentOperation<string>
    {
        public List<(string Key, long At)> Received { get; } = [];
        public int Lookups { get; private set; }
        public int FailSubmissions { get; set; }
        public bool AcceptThenLoseAck { get; set; }
        public int FailLookups { get; set; }

        public ValueTask<string> SubmitAsync(string key, CancellationToken cancellationToken)
        {
            lock (Received)
            {
                if (FailSubmissions > 0)
                {
                    FailSubmissions--;
                    if (AcceptThenLoseAck) Received.Add((key, time.GetTimestamp()));
                    return ValueTask.FromException<string>(new TimeoutException("no acknowledgement"));
                }
                Received.Add((key, time.GetTimestamp()));
                return ValueTask.FromResult("order-" + Received.Count);
            }
        }

        public ValueTask<IdempotencyLookup<string>> FindExistingAsync(string key, CancellationToken cancellationToken)
        {
            lock (Received)
            {
                Lookups++;
                if (FailLookups > 0)
                {
                    FailLookups--;
                    return ValueTask.FromException<IdempotencyLookup<string>>(new IOException("lookup failed"));
                }
                var index = Received.FindIndex(r => r.Key == key);
                return ValueTask.FromResult(index < 0 ? IdempotencyLookup<string>.NotFound : IdempotencyLookup<string>.Existing("order-" + (index + 1)));
            }
        }
    }

    /// <summary>Runs <paramref name="execution"/>, advancing the clock by each scheduled delay as soon as its timer exists.</summary>
    private async Task<(T Result, List<TimeSpan> Delays)> Drive<T>(IdempotentRetry retry, Func<Task<T>> execution)
    {
        var scheduled = Channel.CreateUnbounded<RetryScheduled>();
        retry.RetryScheduled += s => scheduled.Writer.TryWrite(s);
        var delays = new List<TimeSpan>();
        var run = execution();
        while (true)
        {
            var next = scheduled.Reader.ReadAsync().AsTask();
            if (await Task.WhenAny(run, next).Within() == run && !next.IsCompleted) return (await run, delays);
            var retryScheduled = await next;
            delays.Add(retryScheduled.Delay);
            _time.Advance(retryScheduled.Delay);
        }
    }

    [Fact]
    public async Task Backoff_delays_are_exactly_the_configured_series()
    {
        var broker = new FakeBroker(_time) { FailSubmissions = 10 };
        var retry = new IdempotentRetry(new IdempotentRetryOptions { MaxAttempts = 5, BaseDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(3) }, _time);

        var (outcome, delays) = await Drive(retry, async () =>
        {
            try { await retry.ExecuteAsync("ord-1", broker); return null; }
            catch (RetryExhaustedException ex) { return ex; }
        });

        Assert.Equal([1, 2, 3, 3], delays.Select(d => d.TotalSeconds));
        Assert.NotNull(outcome);
        Assert.Equal(5, outcome.Attempts);
        Assert.IsType<TimeoutException>(outcome.InnerException);
        Assert.Equal(4, broker.Lookups); // one idempotency check before each retry
    }

    [Fact]
    public async Task Seed_003_defaults_retry_three_times_after_one_then_two_seconds()
    {
        var broker = new FakeBroker(_time) { FailSubmissions = 2 };
        var retry = new IdempotentRetry(new IdempotentRetryOptions(), _time);
        var start = _time.GetTimestamp();

        var (result, delays) = await Drive(retry, () => retry.ExecuteAsync("ord-1", broker));

        Assert.Equal([1, 2], delays.Select(d => d.TotalSeconds));
        Assert.Equal((3, 3, false), (result.Attempts, result.Submissions, result.FoundExisting));
        Assert.Equal(TimeSpan.FromSeconds(3), TimeSpan.FromTicks(broker.Received.Single().At - start));
    }

    [Fact]
    public async Task A_retried_order_is_never_sent_twice_when_the_first_attempt_reached_the_broker()
    {
        var broker = new FakeBroker(_time) { FailSubmissions = 1, AcceptThenLoseAck = true };
        var retry = new IdempotentRetry(new IdempotentRetryOptions(), _time);

        var (result, _) = await Drive(retry, () => retry.ExecuteAsync("ord-7", broker));

        Assert.Single(broker.Received);
        Assert.True(result.FoundExisting);
        Assert.Equal(("order-1", 2, 1), (result.Value, result.Attempts, result.Submissions));
    }

    [Fact]
    public async Task A_failed_idempotency_check_blocks_the_resend_until_a_check_succeeds()
    {
        var broker = new FakeBroker(_time) { FailSubmissions = 1, FailLookups = 1 };
        var retry = new IdempotentRetry(new IdempotentRetryOptions { MaxAttempts = 3 }, _time);

        var (result, delays) = await Drive(retry, () => retry.ExecuteAsync("ord-1", broker));

        Assert.Equal(2, delays.Count);
        Assert.Equal(2, broker.Lookups);
        Assert.Equal((3, 2), (result.Attempts, result.Submissions)); // attempt 2 sent nothing
        Assert.Single(broker.Received);
    }

    [Fact]
    public async Task A_non_retryable_failure_is_thrown_at_once()
    {
        var broker = new FakeBroker(_time) { FailSubmissions = 1 };
        var retry = new IdempotentRetry(new IdempotentRetryOptions { IsRetryable = ex => ex is not TimeoutException }, _time);

        await Assert.ThrowsAsync<TimeoutException>(() => retry.ExecuteAsync("ord-1", broker));
        Assert.Equal(0, broker.Lookups);
    }

    [Fact]
    public async Task An_outage_that_closes_the_gate_stops_the_retries_after_the_idempotency_check()
    {
        await using var system = TestSystems.Create(_time);
        TestSystems.DriveToNormal(system, _time);
        var broker = new FakeBroker(_time) { FailSubmissions = 5 };
        var retry = new IdempotentRetry(new IdempotentRetryOptions { Gate = system.Gate }, _time);
        retry.RetryScheduled += _ => system.ReportFailure(ComponentId.Broker, ReasonCode.BrokerDisconnect);

        var (outcome, _) = await Drive(retry, async () =>
        {
            try { await retry.ExecuteAsync("ord-1", broker); return null; }
            catch (GateRefusedException ex) { return ex; }
        });

        Assert.NotNull(outcome);
        Assert.Equal(SystemMode.SafeModeDisconnected, outcome.Decision.Mode);
        Assert.Equal(1, broker.Lookups);
        Assert.Empty(broker.Received);
    }

    [Fact]
    public async Task Cancellation_stops_the_wait()
    {
        var broker = new FakeBroker(_time) { FailSubmissions = 5 };
        var retry = new IdempotentRetry(new IdempotentRetryOptions(), _time);
        using var cts = new CancellationTokenSource();
        retry.RetryScheduled += _ => cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => retry.ExecuteAsync("ord-1", broker, cts.Token)).Within();
    }

    [Fact]
    public void Bad_options_are_rejected_with_the_option_named()
    {
        Assert.Contains("MaxAttempts", Assert.Throws<ArgumentOutOfRangeException>(() => new IdempotentRetry(new IdempotentRetryOptions { MaxAttempts = 0 }, _time)).Message);
        Assert.Contains("BaseDelay", Assert.Throws<ArgumentOutOfRangeException>(() => new IdempotentRetry(new IdempotentRetryOptions { BaseDelay = TimeSpan.Zero }, _time)).Message);
        Assert.Contains("MaxDelay", Assert.Throws<ArgumentOutOfRangeException>(() => new IdempotentRetry(new IdempotentRetryOptions { MaxDelay = TimeSpan.FromMilliseconds(1) }, _time)).Message);
    }
}
