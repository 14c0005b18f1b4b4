namespace Degradation.Health;

/// <summary>Whether a component can stop trading.</summary>
public enum ComponentCategory : byte
{
    /// <summary>Trading needs it: its failure may pause trading.</summary>
    Critical = 0,
    /// <summary>Trading goes on without it (degraded, with its fallback).</summary>
    Optional = 1,
}
