namespace Degradation.Events;

/// <summary>Severity of an event or alert.</summary>
public enum Severity : byte
{
    /// <summary>Informational.</summary>
    Info = 0,
    /// <summary>Needs attention.</summary>
    Warning = 1,
    /// <summary>Needs action now.</summary>
    Critical = 2,
}
