using System.Runtime.CompilerServices;

namespace Degradation.Testing;

/// <summary>
/// "This hot path allocates nothing" checks that hold on any machine, under any load.
/// <para>Two things made such checks flaky when written inline in a test: a bytes counter that includes other
/// threads' allocations, and a measuring loop that is itself compiled at tier 0 and then replaced mid-loop by
/// on-stack replacement, whose transition allocates on the measuring thread (24 bytes to a few KB, depending on
/// when the replacement lands). Here the loop is compiled fully optimised up front, never replaced, the path is
/// warmed up first (first-call static initialisation, lazily built state), and only the calling thread's
/// allocations are counted.</para>
/// </summary>
public static class Allocations
{
    /// <summary>
    /// Runs <paramref name="action"/> <paramref name="iterations"/> times to warm it up, then as many times
    /// again, and returns the bytes the calling thread allocated during the second, measured run.
    /// </summary>
    /// <remarks>Pass the subject as <paramref name="state"/> and use a static lambda, so no closure is involved.</remarks>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static long AfterWarmUp<TState>(TState state, Action<TState> action, int iterations = 10_000)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(iterations);
        for (var i = 0; i < iterations; i++) action(state);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < iterations; i++) action(state);
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
