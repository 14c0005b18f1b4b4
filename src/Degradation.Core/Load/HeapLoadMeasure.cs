namespace Degradation.Load;

/// <summary>Which figure of <see cref="GC.GetGCMemoryInfo()"/> the load monitor treats as "heap load" when the caller passes none.</summary>
public enum HeapLoadMeasure : byte
{
    /// <summary>
    /// The memory load the GC observed (<see cref="GCMemoryInfo.MemoryLoadBytes"/>) as a percentage of the memory
    /// available to the process (<see cref="GCMemoryInfo.TotalAvailableMemoryBytes"/>, which honours container limits).
    /// The closest match to a machine-wide memory percentage.
    /// </summary>
    MemoryLoad = 0,
    /// <summary>The managed heap size (<see cref="GCMemoryInfo.HeapSizeBytes"/>) as a percentage of the memory available to the process.</summary>
    ManagedHeap = 1,
}
