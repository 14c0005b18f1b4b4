using System.Globalization;
using System.Numerics;

namespace Degradation.Breakers;

/// <summary>
/// A failure ratio as an exact fraction, so "opens when failures / calls reaches the ratio" holds exactly: the ratio is
/// taken as the shortest decimal that the <see cref="double"/> stands for (0.55 is 55/100, not 0.55000000000000004…)
/// and compared with integers (<c>failures · denominator ≥ numerator · calls</c>), never with a floating-point product.
/// </summary>
internal readonly struct ExactRatio
{
    // At most 10^18: failures · denominator stays below 2^123 for any long count, well inside Int128.
    private const long MaxDenominator = 1_000_000_000_000_000_000;

    private ExactRatio(long numerator, long denominator)
    {
        Numerator = numerator;
        Denominator = denominator;
    }

    public long Numerator { get; }
    public long Denominator { get; }

    /// <summary>
    /// The exact fraction of <paramref name="ratio"/> (in (0, 1]). A ratio needing more than 18 decimal places is rounded
    /// up at the 18th, the nearest exact fraction that never opens earlier than asked.
    /// </summary>
    public static ExactRatio From(double ratio)
    {
        if (!(ratio > 0 && ratio <= 1)) throw new ArgumentOutOfRangeException(nameof(ratio), ratio, $"A failure ratio must be within (0, 1] (was {ratio}).");
        // "R" gives the shortest text that round-trips: the decimal the caller wrote. It may use an exponent (1E-05).
        var text = ratio.ToString("R", CultureInfo.InvariantCulture);
        var exponentAt = text.IndexOfAny(['E', 'e']);
        var exponent = exponentAt < 0 ? 0 : int.Parse(text.AsSpan(exponentAt + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var mantissa = exponentAt < 0 ? text : text[..exponentAt];
        var point = mantissa.IndexOf('.');
        var digits = point < 0 ? mantissa : mantissa.Remove(point, 1);
        var scale = (point < 0 ? 0 : mantissa.Length - point - 1) - exponent;
        var numerator = BigInteger.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        var denominator = BigInteger.One;
        if (scale >= 0) denominator = BigInteger.Pow(10, scale);
        else numerator *= BigInteger.Pow(10, -scale);
        var gcd = BigInteger.GreatestCommonDivisor(numerator, denominator);
        numerator /= gcd;
        denominator /= gcd;
        if (denominator > MaxDenominator)
        {
            numerator = (numerator * MaxDenominator + denominator - 1) / denominator;
            denominator = MaxDenominator;
            gcd = BigInteger.GreatestCommonDivisor(numerator, denominator);
            numerator /= gcd;
            denominator /= gcd;
        }
        return new ExactRatio((long)numerator, (long)denominator);
    }

    /// <summary>True when <paramref name="failures"/> / <paramref name="calls"/> is at least this ratio (counts not negative).</summary>
    public bool IsReachedBy(long failures, long calls) => (Int128)failures * Denominator >= (Int128)Numerator * calls;

    public override string ToString() => $"{Numerator}/{Denominator}";
}
