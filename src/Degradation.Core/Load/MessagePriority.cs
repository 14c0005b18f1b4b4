namespace Degradation.Load;

/// <summary>How important a message is to the load shedder. Lower value = more important.</summary>
public enum MessagePriority : byte
{
    /// <summary>Tier-1 symbols: processed at every level.</summary>
    Critical = 1,
    /// <summary>Tier-2 symbols.</summary>
    High = 2,
    /// <summary>Every other symbol.</summary>
    Normal = 3,
    /// <summary>Reference data updates.</summary>
    Low = 4,
}
