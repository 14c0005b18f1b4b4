using CsCheck;

namespace Degradation.Testing;

/// <summary>
/// Runs a CsCheck property deterministically: one generated case per seed, the seeds derived from one fixed seed, so a
/// green run checks the same cases every time. When a case fails, CsCheck then shrinks it (searching for smaller
/// failing cases from that seed) and the exception names the seed that replays the smallest one.
/// </summary>
public static class FixedSeedProperty
{
    /// <summary>How many further cases the shrinking of a failure may try.</summary>
    public const int ShrinkIterations = 5_000;

    /// <summary>The seed of case <paramref name="index"/> of a run whose first seed is <paramref name="firstSeed"/>.</summary>
    public static string SeedOf(string firstSeed, int index)
    {
        var first = PCG.Parse(firstSeed);
        return new PCG(first.Stream, first.State + (ulong)index).ToString();
    }

    /// <summary>Checks <paramref name="property"/> on <paramref name="cases"/> cases generated from <paramref name="firstSeed"/> onwards.</summary>
    /// <param name="gen">The generator.</param>
    /// <param name="property">Throws when the property does not hold.</param>
    /// <param name="firstSeed">A CsCheck seed (e.g. <c>new PCG(1, 20_260_126).ToString()</c>); printed by the caller.</param>
    /// <param name="cases">How many cases.</param>
    /// <param name="print">How a failing case is shown.</param>
    /// <param name="log">Told which case failed, before shrinking starts.</param>
    public static void Check<T>(Gen<T> gen, Action<T> property, string firstSeed, int cases, Func<T, string>? print = null, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(gen);
        ArgumentNullException.ThrowIfNull(property);
        for (var k = 0; k < cases; k++)
        {
            var seed = SeedOf(firstSeed, k);
            try
            {
                gen.Sample(property, seed: seed, iter: 1, threads: 1, print: print); // exactly this seed's case
            }
            catch (CsCheckException)
            {
                log?.Invoke($"case {k} (seed {seed}) failed; shrinking it");
                gen.Sample(property, seed: seed, iter: ShrinkIterations, threads: 1, print: print); // throws the smallest failure found
                throw;
            }
        }
    }
}
