using Degradation.Scopes;

namespace Degradation.AspNetCore.Contracts;

/// <summary>Maps scopes to their wire contracts.</summary>
internal static class ScopeMapper
{
    public static ScopesResponse ToScopes(ScopeTree tree) => new() { Scopes = [.. tree.GetScopes().Select(ToResponse)] };

    public static ScopeResponse ToResponse(TradingScope scope)
    {
        var view = scope.Snapshot;
        var own = scope.StateMachine.Gate.Snapshot;
        var machine = scope.StateMachine;
        var overrideInfo = machine.Override;
        var allowed = new List<string>(6);
        foreach (var action in Enum.GetValues<ActionType>()) if (view.Allows(action)) allowed.Add(WireNames.Of(action));
        return new ScopeResponse
        {
            Path = scope.Path,
            Name = scope.Name,
            Level = WireName(scope.Level),
            Parent = scope.Parent?.Path,
            Mode = WireNames.Of(own.Mode),
            Stage = own.Stage is { } stage ? WireNames.Of(stage) : null,
            EffectiveMode = WireNames.Of(view.Mode),
            EffectiveStage = view.Stage is { } effectiveStage ? WireNames.Of(effectiveStage) : null,
            Reason = view.Reason.Value,
            GovernedBy = view.Governing.Path,
            AllowedActions = allowed,
            IsOverride = overrideInfo is not null,
            OverrideExpiresAt = overrideInfo?.ExpiresAt,
            Sequence = machine.TransitionCount,
            Conditions =
            [
                .. machine.GetComponents().SelectMany(c => c.Conditions.Select(condition => new ScopeConditionResponse
                {
                    Component = c.Id.Name, Reason = condition.Reason.Value, Mode = WireNames.Of(condition.Mode), Since = condition.Since,
                })),
            ],
        };
    }

    public static string WireName(ScopeLevel level) => level switch
    {
        ScopeLevel.Process => "process",
        ScopeLevel.Venue => "venue",
        ScopeLevel.Account => "account",
        ScopeLevel.Strategy => "strategy",
        _ => "unknown",
    };
}
