namespace Degradation.Composition;

/// <summary>
/// A step of a <see cref="DegradationRuntime"/>'s shutdown that failed (for example flushing the write-ahead log). The
/// runtime still runs the remaining steps and then throws every failure together in an <see cref="AggregateException"/>.
/// </summary>
public sealed class DegradationStepException : Exception
{
    /// <summary>Creates the exception for <paramref name="step"/>.</summary>
    /// <param name="step">The step, e.g. <c>"flush write-ahead log"</c>.</param>
    /// <param name="innerException">Why it failed.</param>
    public DegradationStepException(string step, Exception innerException)
        : base($"Degradation system step '{step}' failed: {innerException?.Message}", innerException)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(step);
        Step = step;
    }

    /// <summary>The step that failed.</summary>
    public string Step { get; }
}
