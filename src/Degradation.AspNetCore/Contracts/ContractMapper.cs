using System.Text.Json;
using Degradation.Explain;
using Degradation.KillSwitches;
using Degradation.State;
namespace Degradation.AspNetCore.Contracts;

/// <summary>Turns the core's domain objects into wire contracts.</summary>
internal static class ContractMapper
{
    public static TransitionResponse ToResponse(ModeTransition t) => new()
    {
        Sequence = t.Sequence,
        Kind = WireNames.Of(t.Kind),
        FromMode = WireNames.Of(t.From),
        ToMode = WireNames.Of(t.To),
        FromStage = t.FromStage is { } fs ? WireNames.Of(fs) : null,
        ToStage = t.ToStage is { } ts ? WireNames.Of(ts) : null,
        ReasonCode = t.Reason.Value,
        Source = t.Component.Name,
        Timestamp = t.WallTime,
        OperatorId = t.OperatorId,
        Details = t.Details,
        OverrideTtlSeconds = t.OverrideTtl?.TotalSeconds,
        RecoveryRun = t.RecoveryRun?.Value,
    };

    public static StatusResponse ToStatus(DegradationSystem system)
    {
        var machine = system.StateMachine;
        var time = system.TimeProvider;
        // Mode, stage, reason and sequence come from one gate snapshot, so they never disagree.
        var snapshot = system.Gate.Snapshot;
        var active = machine.Override;
        var run = machine.ActiveRecoveryRun;
        var trigger = machine.ActiveRecoveryTrigger;
        var last = machine.LastTransition;
        return new StatusResponse
        {
            Mode = WireNames.Of(snapshot.Mode),
            Stage = snapshot.Stage is { } stage ? WireNames.Of(stage) : null,
            Level = WorstLevel(machine.GetComponents()),
            Reason = snapshot.Reason.Value,
            Sequence = snapshot.Sequence,
            IsOverride = active is not null,
            OverrideExpiresAt = active?.ExpiresAt,
            Override = active is null ? null : ToResponse(active, time),
            LastTransition = last is null ? null : ToResponse(last),
            RecoveryRun = run?.Value,
            RecoveryTrigger = trigger is { } tr ? WireNames.Of(tr) : null,
            OverrideTtlBounds = new OverrideBoundsResponse
            {
                MinSeconds = system.Policy.MinOverride.TotalSeconds,
                MaxSeconds = system.Policy.MaxOverride.TotalSeconds,
            },
            OperatorHalt = machine.OperatorHalt is { } halt
                ? new OperatorHaltResponse { OperatorId = halt.OperatorId, Reason = halt.Reason, Since = halt.Since }
                : null,
            // Strictest first: what stands in the way of loosening leads the list.
            ActiveConditions = [.. machine.GetConditions().OrderByDescending(c => c.Mode).ThenBy(c => c.Since).Select(ToResponse)],
            KillSwitch = [.. system.KillSwitchOutcomes.Select(ToResponse)],
            WhyNotNormal = [.. machine.ExplainMode().Holds.Select(ToResponse)],
            ServerTime = time.GetUtcNow(),
        };
    }

    public static ModeHoldResponse ToResponse(ModeHold hold) => new()
    {
        Kind = JsonNamingPolicy.SnakeCaseLower.ConvertName(hold.Kind.ToString()),
        Text = hold.Text,
        Component = hold.Component?.Name,
        RemainingSeconds = hold.Remaining?.TotalSeconds,
    };

    public static ActiveConditionResponse ToResponse(ConditionInfo c) => new()
    {
        Component = c.Component.Name,
        Reason = c.Reason.Value,
        Mode = WireNames.Of(c.Mode),
        Source = c.Source.ToString(),
        Since = c.Since,
    };

    public static KillSwitchActionResponse ToResponse(KillSwitchActionOutcome o) => new()
    {
        Name = o.Name,
        Status = o.Status switch
        {
            KillSwitchActionStatus.Running => "running",
            KillSwitchActionStatus.Succeeded => "succeeded",
            KillSwitchActionStatus.Failed => "failed",
            KillSwitchActionStatus.TimedOut => "timed_out",
            var other => "unknown_" + ((int)other).ToString(System.Globalization.CultureInfo.InvariantCulture),
        },
        Details = o.Details,
        StartedAt = o.StartedAt,
        CompletedAt = o.CompletedAt,
        HaltSequence = o.HaltSequence,
    };

    public static PermissionsResponse ToPermissions(GateSnapshot snapshot)
    {
        var map = new Dictionary<string, bool>(WireNames.Actions.Count, StringComparer.Ordinal);
        var actions = new List<ActionPermissionResponse>(WireNames.Actions.Count);
        TradingLimits? limits = null;
        for (var i = 0; i < WireNames.Actions.Count; i++)
        {
            var action = (ActionType)i;
            var decision = snapshot.Check(action);
            limits ??= decision.Limits;
            var name = WireNames.Of(action);
            map[name] = decision.Allowed;
            actions.Add(new ActionPermissionResponse { Action = name, Allowed = decision.Allowed, Advice = decision.Advice });
        }
        return new PermissionsResponse
        {
            Mode = WireNames.Of(snapshot.Mode),
            Stage = snapshot.Stage is { } stage ? WireNames.Of(stage) : null,
            Sequence = snapshot.Sequence,
            Permissions = map,
            Actions = actions,
            Limits = limits is null ? null : new TradingLimitsResponse { MaxOrderQuantity = limits.MaxOrderQuantity, MaxOpenPositions = limits.MaxOpenPositions },
        };
    }

    public static ComponentsResponse ToComponents(IReadOnlyList<ComponentStatus> components) => new()
    {
        Level = WorstLevel(components),
        Components = [.. components
            .OrderByDescending(c => c.Critical)
            .ThenBy(c => c.Id.Name, StringComparer.Ordinal)
            .Select(ToResponse)],
    };

    public static HistoryPageResponse ToHistoryPage(DegradationStateMachine machine, int offset, int limit)
    {
        var items = machine.GetHistory(offset, limit);
        var retained = (int)Math.Min(machine.TransitionCount, machine.Policy.Options.TransitionHistorySize);
        return new HistoryPageResponse { Total = retained, Offset = offset, Limit = limit, Items = [.. items.Select(ToResponse)] };
    }

    /// <summary>
    /// The system level: tripped beats an unknown critical component, which beats unstable. An optional component
    /// that is silent only counts as unstable: it cannot close trading, but it is not known to be healthy either.
    /// </summary>
    public static string WorstLevel(IReadOnlyList<ComponentStatus> components)
    {
        var rank = 0;
        foreach (var c in components)
        {
            var r = c.Level switch
            {
                ComponentLevel.Tripped => 3,
                ComponentLevel.Unknown => c.Critical ? 2 : 1,
                ComponentLevel.Unstable => 1,
                _ => 0,
            };
            if (r > rank) rank = r;
        }
        return rank switch
        {
            3 => WireNames.Of(ComponentLevel.Tripped),
            2 => WireNames.Of(ComponentLevel.Unknown),
            1 => WireNames.Of(ComponentLevel.Unstable),
            _ => WireNames.Of(ComponentLevel.Healthy),
        };
    }

    private static OverrideResponse ToResponse(OverrideInfo active, TimeProvider time)
    {
        var remaining = time.GetElapsedTime(time.GetTimestamp(), active.ExpiresAtTimestamp).TotalSeconds;
        return new OverrideResponse
        {
            Mode = WireNames.Of(active.Mode),
            OperatorId = active.OperatorId,
            Reason = active.Reason,
            TtlSeconds = active.Ttl.TotalSeconds,
            StartedAt = active.StartedAt,
            ExpiresAt = active.ExpiresAt,
            RemainingSeconds = Math.Max(0, remaining),
        };
    }

    private static ComponentResponse ToResponse(ComponentStatus c) => new()
    {
        Id = c.Id.Name,
        Critical = c.Critical,
        Category = c.Category,
        Level = WireNames.Of(c.Level),
        Conditions = [.. c.Conditions.Select(x => new ConditionResponse { Reason = x.Reason.Value, Mode = WireNames.Of(x.Mode), Since = x.Since })],
        LastReport = c.LastReport,
        LastReason = c.LastReason.IsEmpty ? null : c.LastReason.Value,
        LastDetails = c.LastDetails,
        Fallback = c.Fallback,
        FallbackActive = c.Fallback is not null && c.Level != ComponentLevel.Healthy,
    };
}
