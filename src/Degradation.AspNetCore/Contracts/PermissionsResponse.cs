namespace Degradation.AspNetCore.Contracts;

/// <summary>Trading permissions (GET <c>permissions</c>), all read from one gate snapshot.</summary>
public sealed class PermissionsResponse
{
    /// <summary>The mode the permissions belong to.</summary>
    public required string Mode { get; init; }
    /// <summary>The recovery stage, in <c>recovering</c>.</summary>
    public string? Stage { get; init; }
    /// <summary>Sequence number of the snapshot.</summary>
    public required long Sequence { get; init; }
    /// <summary>Action → allowed.</summary>
    public required IReadOnlyDictionary<string, bool> Permissions { get; init; }
    /// <summary>Every action with its decision and advice.</summary>
    public required IReadOnlyList<ActionPermissionResponse> Actions { get; init; }
    /// <summary>The limits in force, or null.</summary>
    public TradingLimitsResponse? Limits { get; init; }
}
