using Degradation.Breakers;
using Degradation.Fallback;
using Degradation.Health;

namespace Degradation.AspNetCore.Contracts;

/// <summary>Maps a <see cref="HealthReport"/> to its wire form.</summary>
internal static class HealthReportMapper
{
    public static HealthReportResponse ToResponse(HealthReport report)
    {
        var components = new Dictionary<string, ComponentHealthResponse>(report.Components.Count, StringComparer.Ordinal);
        foreach (var component in report.Components)
            components[component.Id.Name] = ToResponse(component);
        return new HealthReportResponse
        {
            OverallStatus = Of(report.Overall),
            CanTrade = report.CanTrade,
            Mode = WireNames.Of(report.Mode),
            Stage = report.Stage is { } stage ? WireNames.Of(stage) : null,
            Reason = report.Reason.Value,
            Components = components,
            FallbackStrategies = report.FallbackStrategies,
            CriticalIssues = report.CriticalIssues,
            OptionalIssues = report.OptionalIssues,
            Breakers = [.. report.Breakers.Select(ToResponse)],
            FallbackChains = [.. report.FallbackChains.Select(ToResponse)],
            GeneratedAt = report.GeneratedAt,
        };
    }

    private static ComponentHealthResponse ToResponse(ComponentHealth component) => new()
    {
        Healthy = component.Healthy,
        Category = component.Category == ComponentCategory.Critical ? "critical" : "optional",
        Status = WireNames.Of(component.Level),
        Is503 = component.ServiceUnavailable,
        Description = component.Description,
        Fallback = component.Fallback is { } fallback
            ? new FallbackStrategyResponse { Strategy = fallback.Name, Description = fallback.Description, Impact = fallback.Impact, Active = fallback.Active }
            : null,
        Issues = component.Issues,
        LastReport = component.LastReport,
        LastDetails = component.LastDetails,
    };

    private static BreakerResponse ToResponse(BreakerSnapshot breaker) => new()
    {
        Component = breaker.Component.Name,
        State = breaker.State switch
        {
            BreakerState.Closed => "closed",
            BreakerState.Open => "open",
            BreakerState.HalfOpen => "half_open",
            BreakerState.Isolated => "isolated",
            _ => "unknown",
        },
        WindowCalls = breaker.WindowCalls,
        WindowFailures = breaker.WindowFailures,
        TimesOpened = breaker.TimesOpened,
        ReopensAt = breaker.ReopensAt,
        IsolatedBy = breaker.IsolatedBy,
        IsolationReason = breaker.IsolationReason,
    };

    private static FallbackChainResponse ToResponse(FallbackChainStatus chain) => new()
    {
        Name = chain.Name,
        PrimaryState = chain.PrimaryState switch
        {
            PrimaryTierState.Active => "active",
            PrimaryTierState.Broken => "broken",
            PrimaryTierState.Restoring => "restoring",
            _ => "unknown",
        },
        ActiveTier = chain.ActiveTier?.Name,
        PrimaryTrafficPercent = chain.PrimaryTrafficPercent,
        PendingApprovals = chain.PendingApprovals,
        Tiers = [.. chain.Tiers.Select(t => new FallbackTierResponse
        {
            Name = t.Tier.Name,
            Kind = t.Tier.Kind.ToString().ToLowerInvariant(),
            Quality = t.Tier.Quality,
            Broken = t.IsBroken,
            ConsecutiveFailures = t.ConsecutiveFailures,
            NeedsApproval = t.NeedsApproval,
            Approved = t.IsApproved,
        })],
    };

    private static string Of(OverallHealth overall) => overall switch
    {
        OverallHealth.FullyOperational => "fully_operational",
        OverallHealth.Degraded => "degraded",
        OverallHealth.Paused => "paused",
        _ => "unknown",
    };
}
