namespace Degradation;

/// <summary>Thrown when <see cref="DegradationOptions"/> hold invalid values; the message names every bad option and value.</summary>
public sealed class DegradationOptionsException : ArgumentException
{
    /// <summary>Creates the exception from the list of validation failures.</summary>
    public DegradationOptionsException(IReadOnlyList<string> failures)
        : base("Invalid degradation options: " + string.Join("; ", failures))
    {
        Failures = failures;
    }

    /// <summary>One message per invalid option, each naming the option and its value.</summary>
    public IReadOnlyList<string> Failures { get; }
}
