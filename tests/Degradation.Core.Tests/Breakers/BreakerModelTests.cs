using System.Globalization;
using Degradation.Testing;
using Xunit.Abstractions;

namespace Degradation.Tests.Breakers;

/// <summary>
/// Random operation sequences (fixed, printed seeds) run against the breaker and against a deliberately plain reference
/// model of its documented rules; after every operation both must agree — with timers on time, late or never.
/// </summary>
public sealed class BreakerModelTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(22_001, TimerFiring.OnTime)]
    [InlineData(22_002, TimerFiring.Late)]
    [InlineData(22_003, TimerFiring.Never)]
    [InlineData(22_004, TimerFiring.OnTime)]
    [InlineData(22_005, TimerFiring.Late)]
    [InlineData(22_006, TimerFiring.Never)]
    public void The_breaker_behaves_like_the_reference_model(int seed, TimerFiring firing)
    {
        output.WriteLine($"seed {seed}, timers {firing}");
        var random = new Random(seed);
        var ratio = random.Next(1, 21) / 20m;              // 0.05 … 1, as written
        var minimum = random.Next(1, 8);
        var breakTicks = TimeSpan.FromMilliseconds(random.Next(1, 3000)).Ticks;
        var trials = random.Next(1, 4);
        output.WriteLine($"ratio {ratio.ToString(CultureInfo.InvariantCulture)}, minimum {minimum}, break {breakTicks} ticks, trials {trials}");
        using var rig = new BreakerRig(firing, o =>
        {
            o.FailureRatio = (double)ratio;
            o.MinimumThroughput = minimum;
            o.BreakDuration = TimeSpan.FromTicks(breakTicks);
            o.HalfOpenTrialCalls = trials;
        });
        var model = new ReferenceBreaker(ratio, minimum, breakTicks, trials);
        var permits = new List<(BreakerPermit Real, ReferenceBreaker.Permit Model)>();

        for (var step = 0; step < 3_000; step++)
        {
            var now = rig.Elapsed;
            var operation = random.Next(100);
            string what;
            if (operation < 35)
            {
                what = "acquire";
                var admitted = rig.Breaker.TryAcquire(out var permit);
                var expected = model.TryAcquire(now);
                Assert.True(admitted == expected is not null, $"seed {seed}, step {step}: acquire admitted {admitted}, model {expected is not null}");
                if (admitted)
                {
                    Assert.Equal(expected!.IsTrial, permit.IsTrial);
                    permits.Add((permit, expected));
                }
            }
            else if (operation < 70 && permits.Count > 0)
            {
                var index = random.Next(permits.Count);
                var (real, expected) = permits[index];
                permits.RemoveAt(index);
                var success = random.Next(100) < 55;
                what = $"record {(expected.IsTrial ? "trial" : "call")} {(success ? "success" : "failure")}";
                rig.Breaker.Record(real, success);
                model.Record(expected, success, now);
            }
            else if (operation < 85)
            {
                var ticks = random.Next(4) == 0 ? breakTicks : random.NextInt64(0, breakTicks * 2);
                what = $"advance {ticks}";
                rig.Time.Advance(TimeSpan.FromTicks(ticks));
                if (firing == TimerFiring.Late && random.Next(3) == 0) rig.Time.FireDueTimers();
            }
            else if (operation < 90)
            {
                TimeSpan? ttl = random.Next(3) == 0 ? null : TimeSpan.FromTicks(random.NextInt64(1, breakTicks * 3));
                what = $"isolate {ttl}";
                rig.Breaker.Isolate("ops", "drill", ttl);
                model.Isolate(now, ttl?.Ticks);
            }
            else if (operation < 93)
            {
                what = "reset";
                rig.Breaker.Reset("ops");
                model.Reset();
            }
            else
            {
                what = "read";
            }

            var snapshot = rig.Breaker.GetSnapshot();
            var modelState = model.StateAt(rig.Elapsed);
            Assert.True(modelState == snapshot.State, $"seed {seed}, step {step} ({what}): breaker {snapshot.State}, model {modelState}");
            if (modelState == BreakerState.Closed)
                Assert.True((model.Calls, model.Failures) == (snapshot.WindowCalls, snapshot.WindowFailures),
                    $"seed {seed}, step {step} ({what}): window {snapshot.WindowCalls}/{snapshot.WindowFailures}, model {model.Calls}/{model.Failures}");
        }

        // The sequence must have exercised every kind of change, or it proves little.
        var kinds = rig.Changes.GroupBy(c => (c.From, c.To)).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine(string.Join(", ", kinds.Select(k => $"{k.Key.From}->{k.Key.To}: {k.Value}")));
        Assert.Contains((BreakerState.Closed, BreakerState.Open), kinds.Keys);
        Assert.Contains((BreakerState.Open, BreakerState.HalfOpen), kinds.Keys);
        Assert.Contains((BreakerState.HalfOpen, BreakerState.Closed), kinds.Keys);
        Assert.Contains((BreakerState.HalfOpen, BreakerState.Open), kinds.Keys);
        Assert.Contains((BreakerState.Isolated, BreakerState.HalfOpen), kinds.Keys);
    }

    /// <summary>The documented rules, written as plainly as possible (no concurrency, decimal arithmetic, a list of trials).</summary>
    private sealed class ReferenceBreaker(decimal ratio, int minimum, long breakTicks, int trialCalls)
    {
        private readonly List<Permit> _trials = [];
        private BreakerState _state = BreakerState.Closed;
        private long? _due;
        private int _epoch;

        public long Calls { get; private set; }
        public long Failures { get; private set; }

        public sealed record Permit(int Epoch, bool IsTrial, long Deadline)
        {
            public bool Reported { get; set; }
        }

        public BreakerState StateAt(long now)
        {
            Catch_up(now);
            return _state;
        }

        public Permit? TryAcquire(long now)
        {
            Catch_up(now);
            if (_state == BreakerState.Closed) return new Permit(_epoch, false, 0);
            if (_state != BreakerState.HalfOpen || _trials.Count == trialCalls) return null;
            var trial = new Permit(_epoch, true, now + breakTicks);
            _trials.Add(trial);
            _due = _trials.Where(t => !t.Reported).Min(t => (long?)t.Deadline);
            return trial;
        }

        public void Record(Permit permit, bool success, long now)
        {
            if (permit.IsTrial) Catch_up(now);
            if (permit.Epoch != _epoch) return;
            if (!permit.IsTrial)
            {
                Calls++;
                if (success) return;
                Failures++;
                if (_state == BreakerState.Closed && Calls >= minimum && Failures >= ratio * Calls) Become(BreakerState.Open, now + breakTicks);
                return;
            }
            if (_state != BreakerState.HalfOpen || permit.Reported) return;
            if (!success)
            {
                Become(BreakerState.Open, now + breakTicks);
                return;
            }
            permit.Reported = true;
            if (_trials.Count(t => t.Reported) == trialCalls) Reset();
            else _due = _trials.Where(t => !t.Reported).Min(t => (long?)t.Deadline);
        }

        public void Isolate(long now, long? ttl) => Become(BreakerState.Isolated, ttl is { } t ? now + t : null);

        public void Reset()
        {
            Calls = 0;
            Failures = 0;
            Become(BreakerState.Closed, null);
        }

        private void Catch_up(long now)
        {
            while (_due is { } due && now >= due)
            {
                if (_state == BreakerState.HalfOpen) Become(BreakerState.Open, due + breakTicks);
                else Become(BreakerState.HalfOpen, null);
            }
        }

        private void Become(BreakerState state, long? due)
        {
            _state = state;
            _due = due;
            _epoch++;
            _trials.Clear();
        }
    }
}
