namespace Degradation.Load;

/// <summary>Reads the process's heap load from the GC's last collection (no process scan).</summary>
internal static class HeapLoad
{
    /// <summary>
    /// The current heap load in percent (0–100) according to <paramref name="measure"/>; 0 before the first
    /// garbage collection, when the GC has not yet reported the available memory.
    /// </summary>
    public static double CurrentPercent(HeapLoadMeasure measure = HeapLoadMeasure.MemoryLoad)
    {
        var info = GC.GetGCMemoryInfo();
        var available = info.TotalAvailableMemoryBytes;
        if (available <= 0) return 0;
        var used = measure == HeapLoadMeasure.ManagedHeap ? info.HeapSizeBytes : info.MemoryLoadBytes;
        return Math.Clamp(used * 100.0 / available, 0, 100);
    }
}
