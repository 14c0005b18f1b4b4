using System.Globalization;

namespace Degradation.Classification;

/// <summary>Thresholds of the <see cref="FailureClassifier"/>. A signal breaches a threshold when it is strictly above it.</summary>
public sealed class FailureClassificationOptions
{
    /// <summary>Latency (ms) above which quality is degraded (seed: 500).</summary>
    public double LatencyWarningMs { get; set; } = 500;
    /// <summary>Latency (ms) above which the dependency has failed (seed: 2000).</summary>
    public double LatencyCriticalMs { get; set; } = 2000;
    /// <summary>Error rate above which quality is degraded (seed: 0.01).</summary>
    public double ErrorRateWarning { get; set; } = 0.01;
    /// <summary>Error rate above which the dependency has failed (seed: 0.05).</summary>
    public double ErrorRateCritical { get; set; } = 0.05;
    /// <summary>Queue depth above which quality is degraded (seed: 100).</summary>
    public long QueueDepthWarning { get; set; } = 100;
    /// <summary>Queue depth above which the dependency has failed (seed: 500).</summary>
    public long QueueDepthCritical { get; set; } = 500;

    /// <summary>Checks every value and returns one message per invalid option (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        Pair(errors, nameof(LatencyWarningMs), LatencyWarningMs, nameof(LatencyCriticalMs), LatencyCriticalMs, double.PositiveInfinity);
        Pair(errors, nameof(ErrorRateWarning), ErrorRateWarning, nameof(ErrorRateCritical), ErrorRateCritical, 1);
        Pair(errors, nameof(QueueDepthWarning), QueueDepthWarning, nameof(QueueDepthCritical), QueueDepthCritical, double.PositiveInfinity);
        return errors;
    }

    /// <summary>Throws <see cref="DegradationOptionsException"/> naming every invalid option.</summary>
    public void ValidateAndThrow()
    {
        var errors = Validate();
        if (errors.Count > 0) throw new DegradationOptionsException(errors);
    }

    private static void Pair(List<string> errors, string warningName, double warning, string criticalName, double critical, double max)
    {
        var ok = true;
        foreach (var (name, value) in new[] { (warningName, warning), (criticalName, critical) })
        {
            if (!(value >= 0) || !double.IsFinite(value) || value > max)
            {
                errors.Add($"{name} must be >= 0{(double.IsFinite(max) ? $" and <= {F(max)}" : "")} (was {F(value)}).");
                ok = false;
            }
        }
        if (ok && critical < warning) errors.Add($"{criticalName} ({F(critical)}) must not be below {warningName} ({F(warning)}).");
    }

    private static string F(double value) => value.ToString(CultureInfo.InvariantCulture);
}
