using Microsoft.Extensions.Time.Testing;
using Degradation.Testing;

namespace Degradation.Tests.Fallback;

/// <summary>A tier handler whose failures and latency the test scripts.</summary>
internal sealed class ScriptedSource(string name, int value, FakeTimeProvider? time = null)
{
    public int Calls { get; private set; }
    public bool Failing { get; set; }
    /// <summary>Decides per call (1-based) whether it fails; overrides <see cref="Failing"/> when set.</summary>
    public Func<int, bool>? FailWhen { get; set; }
    /// <summary>Simulated latency: the handler advances the manual clock by this much.</summary>
    public TimeSpan Latency { get; set; }

    public ValueTask<int> Handle(CancellationToken cancellationToken)
    {
        Calls++;
        if (Latency > TimeSpan.Zero) time!.Advance(Latency);
        if (FailWhen?.Invoke(Calls) ?? Failing) throw new InvalidOperationException($"{name} failed (call {Calls})");
        return new ValueTask<int>(value);
    }
}
