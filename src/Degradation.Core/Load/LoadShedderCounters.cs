namespace Degradation.Load;

/// <summary>Messages a <see cref="LoadShedder"/> has shed since creation, by priority.</summary>
/// <param name="ShedCritical">Critical messages shed (only when a custom table sheds them).</param>
/// <param name="ShedHigh">High-priority messages shed.</param>
/// <param name="ShedNormal">Normal-priority messages shed.</param>
/// <param name="ShedLow">Low-priority messages shed.</param>
public readonly record struct LoadShedderCounters(long ShedCritical, long ShedHigh, long ShedNormal, long ShedLow)
{
    /// <summary>Every message shed.</summary>
    public long TotalShed => ShedCritical + ShedHigh + ShedNormal + ShedLow;

    /// <summary>Messages shed with <paramref name="priority"/>.</summary>
    public long this[MessagePriority priority] => priority switch
    {
        MessagePriority.Critical => ShedCritical,
        MessagePriority.High => ShedHigh,
        MessagePriority.Normal => ShedNormal,
        MessagePriority.Low => ShedLow,
        _ => 0,
    };
}
