namespace Degradation.Tests.State;

/// <summary>
/// Where a random walk takes its choices from: a seeded <see cref="Random"/>, or a generated tape of numbers that a
/// property-testing library can shrink (a shorter tape is a shorter walk; smaller numbers pick earlier options).
/// </summary>
internal abstract class Choices
{
    /// <summary>True once a tape has been used up (a <see cref="Random"/> never is).</summary>
    public bool Exhausted { get; protected set; }

    /// <summary>A choice in [0, <paramref name="maxExclusive"/>).</summary>
    public abstract int Next(int maxExclusive);

    /// <summary>A choice in [<paramref name="minInclusive"/>, <paramref name="maxExclusive"/>).</summary>
    public int Next(int minInclusive, int maxExclusive) => minInclusive + Next(maxExclusive - minInclusive);

    public static Choices From(Random random) => new RandomChoices(random);

    public static Choices From(uint[] tape) => new TapeChoices(tape);

    private sealed class RandomChoices(Random random) : Choices
    {
        public override int Next(int maxExclusive) => random.Next(maxExclusive);
    }

    private sealed class TapeChoices(uint[] tape) : Choices
    {
        private int _next;

        public override int Next(int maxExclusive)
        {
            if (maxExclusive <= 1) return 0;
            if (_next >= tape.Length)
            {
                Exhausted = true;
                return 0;
            }
            return (int)(tape[_next++] % (uint)maxExclusive);
        }
    }
}
