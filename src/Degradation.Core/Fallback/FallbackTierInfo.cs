namespace Degradation.Fallback;

/// <summary>The immutable description of one tier of a chain, as callers and reports see it.</summary>
public sealed class FallbackTierInfo
{
    internal FallbackTierInfo(int index, string name, FallbackTierKind kind, int quality, bool requiresApproval)
    {
        Index = index;
        Name = name;
        Kind = kind;
        Quality = quality;
        RequiresApproval = requiresApproval;
    }

    /// <summary>Position in the chain; 0 is the primary.</summary>
    public int Index { get; }
    /// <summary>The tier's name.</summary>
    public string Name { get; }
    /// <summary>Its role.</summary>
    public FallbackTierKind Kind { get; }
    /// <summary>Quality in percent.</summary>
    public int Quality { get; }
    /// <summary>Traffic fails over to it only after an operator's approval.</summary>
    public bool RequiresApproval { get; }
    /// <summary>True for the first tier.</summary>
    public bool IsPrimary => Index == 0;

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Kind}, {Quality}%)";
}
