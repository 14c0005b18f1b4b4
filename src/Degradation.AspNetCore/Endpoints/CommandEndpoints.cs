using System.Globalization;
using Degradation.AspNetCore.Contracts;
using Microsoft.AspNetCore.Http;

namespace Degradation.AspNetCore.Endpoints;

/// <summary>
/// POST force, release, recovery/start and recovery/complete. Each runs behind the write policy, takes the
/// operator id from the authenticated principal, and goes through the state machine's own commands (which
/// validate and audit); argument errors answer 400 naming the field, state conflicts 409.
/// </summary>
internal sealed class CommandEndpoints(DegradationEndpointOptions options)
{
    private const string ReleaseOverride = "override";
    private const string ReleaseHalt = "halt";

    public async Task ForceAsync(HttpContext context)
    {
        var (body, bodyError) = await JsonBody.ReadAsync(context, DegradationJsonContext.Default.ForceRequest, options.MaxBodyBytes).ConfigureAwait(false);
        if (bodyError is not null) { await bodyError.ExecuteAsync(context).ConfigureAwait(false); return; }
        if (!TryGetOperator(context, out var operatorId, out var denied)) { await denied.ExecuteAsync(context).ConfigureAwait(false); return; }

        var system = SystemAccessor.Get(context);
        var errors = new FieldErrors();
        var mode = default(SystemMode);
        if (string.IsNullOrWhiteSpace(body!.Mode))
            errors.Add("mode", $"'mode' is required: one of {string.Join(", ", WireNames.Modes)}.");
        else if (!WireNames.TryParseMode(body.Mode, out mode))
            errors.Add("mode", $"Unknown mode '{body.Mode}': expected one of {string.Join(", ", WireNames.Modes)}.");
        var ttl = TimeSpan.Zero;
        if (body.TtlSeconds is not { } seconds)
            errors.Add("ttl_seconds", $"'ttl_seconds' is required: between {Format(system.Policy.MinOverride.TotalSeconds)} and {Format(system.Policy.MaxOverride.TotalSeconds)}.");
        else if (Math.Abs(seconds) > int.MaxValue)
            // Too large to be a TimeSpan the state machine could even be handed; its own bound check covers the rest.
            errors.Add("ttl_seconds", $"The override TTL must be between {Format(system.Policy.MinOverride.TotalSeconds)} s and {Format(system.Policy.MaxOverride.TotalSeconds)} s (was {Format(seconds)} s).");
        else
            ttl = TimeSpan.FromSeconds(seconds);
        var reason = CheckReason(body.Reason, errors);
        if (errors.Any) { await Problems.Validation(errors).ExecuteAsync(context).ConfigureAwait(false); return; }

        await RunAsync(context, () =>
        {
            var outcome = system.StateMachine.ForceMode(mode, ttl, operatorId, reason!);
            if (!outcome.Accepted) return Problems.Conflict(outcome.Message);
            var transition = TransitionOf(system, outcome);
            var status = ContractMapper.ToStatus(system);
            return TypedResults.Json(new ForceResponse
            {
                Mode = WireNames.Of(mode),
                IsOverride = true,
                ExpiresAt = status.OverrideExpiresAt ?? transition.WallTime + ttl,
                Transition = ContractMapper.ToResponse(transition),
                Status = status,
            }, DegradationJsonContext.Default.ForceResponse);
        }).ConfigureAwait(false);
    }

    public async Task ReleaseAsync(HttpContext context)
    {
        var (body, bodyError) = await JsonBody.ReadAsync(context, DegradationJsonContext.Default.ReleaseRequest, options.MaxBodyBytes).ConfigureAwait(false);
        if (bodyError is not null) { await bodyError.ExecuteAsync(context).ConfigureAwait(false); return; }
        if (!TryGetOperator(context, out var operatorId, out var denied)) { await denied.ExecuteAsync(context).ConfigureAwait(false); return; }

        var errors = new FieldErrors();
        var target = body!.Target;
        if (string.IsNullOrWhiteSpace(target))
            errors.Add("target", $"'target' is required: '{ReleaseOverride}' or '{ReleaseHalt}'.");
        else if (target is not (ReleaseOverride or ReleaseHalt))
            errors.Add("target", $"Unknown release target '{target}': expected '{ReleaseOverride}' or '{ReleaseHalt}'.");
        var reason = CheckReason(body.Reason, errors);
        if (errors.Any) { await Problems.Validation(errors).ExecuteAsync(context).ConfigureAwait(false); return; }

        var system = SystemAccessor.Get(context);
        await RunAsync(context, () =>
        {
            var outcome = target == ReleaseOverride
                ? system.StateMachine.ReleaseOverride(operatorId, reason)
                : system.StateMachine.ReleaseHalt(operatorId, reason!);
            return outcome.Accepted ? Command(system, TransitionOf(system, outcome)) : Problems.Conflict(outcome.Message);
        }).ConfigureAwait(false);
    }

    public async Task StartRecoveryAsync(HttpContext context)
    {
        var (reason, error) = await ReadRecoveryAsync(context).ConfigureAwait(false);
        if (error is not null) { await error.ExecuteAsync(context).ConfigureAwait(false); return; }
        if (!TryGetOperator(context, out var operatorId, out var denied)) { await denied.ExecuteAsync(context).ConfigureAwait(false); return; }

        var system = SystemAccessor.Get(context);
        await RunAsync(context, () =>
        {
            var run = system.StateMachine.StartRecovery(operatorId, reason);
            return TypedResults.Json(new RecoveryStartedResponse { RunId = run.Value, Status = ContractMapper.ToStatus(system) },
                DegradationJsonContext.Default.RecoveryStartedResponse);
        }).ConfigureAwait(false);
    }

    public async Task CompleteRecoveryAsync(HttpContext context)
    {
        var (reason, error) = await ReadRecoveryAsync(context).ConfigureAwait(false);
        if (error is not null) { await error.ExecuteAsync(context).ConfigureAwait(false); return; }
        if (!TryGetOperator(context, out var operatorId, out var denied)) { await denied.ExecuteAsync(context).ConfigureAwait(false); return; }

        var system = SystemAccessor.Get(context);
        await RunAsync(context, () => Command(system, system.StateMachine.CompleteRecovery(operatorId, reason))).ConfigureAwait(false);
    }

    private async Task<(string? Reason, IResult? Error)> ReadRecoveryAsync(HttpContext context)
    {
        var (body, bodyError) = await JsonBody.ReadAsync(context, DegradationJsonContext.Default.RecoveryRequest, options.MaxBodyBytes).ConfigureAwait(false);
        if (bodyError is not null) return (null, bodyError);
        var errors = new FieldErrors();
        var reason = CheckReason(body!.Reason, errors);
        return errors.Any ? (null, Problems.Validation(errors)) : (reason, null);
    }

    // An accepted command that changed nothing (e.g. a Halt on a halted system) answers with the latest transition.
    private static ModeTransition TransitionOf(DegradationSystem system, OperatorCommandResult outcome) =>
        outcome.Transition ?? system.StateMachine.LastTransition!;

    private static IResult Command(DegradationSystem system, ModeTransition transition) =>
        TypedResults.Json(new CommandResponse { Transition = ContractMapper.ToResponse(transition), Status = ContractMapper.ToStatus(system) },
            DegradationJsonContext.Default.CommandResponse);

    /// <summary>Runs a state-machine command and maps its documented exceptions to HTTP answers.</summary>
    private static Task RunAsync(HttpContext context, Func<IResult> command)
    {
        IResult result;
        try
        {
            result = command();
            context.Response.Headers.CacheControl = "no-store";
        }
        catch (ArgumentException error)
        {
            result = Problems.FromArgumentError(error);
        }
        catch (InvalidOperationException error)
        {
            result = Problems.Conflict(error.Message);
        }
        return result.ExecuteAsync(context);
    }

    private bool TryGetOperator(HttpContext context, out string operatorId, out IResult denied)
    {
        var id = OperatorIdentity.Find(context.User, options.OperatorIdClaimType);
        operatorId = id ?? string.Empty;
        denied = id is null ? Problems.NoOperatorId(OperatorIdentity.Describe(options.OperatorIdClaimType)) : Results.Empty;
        return id is not null;
    }

    private string? CheckReason(string? reason, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            errors.Add("reason", "'reason' is required and must not be empty: say why (it is audited).");
            return null;
        }
        reason = reason.Trim();
        if (reason.Length > options.MaxReasonLength)
        {
            errors.Add("reason", $"'reason' is {reason.Length.ToString(CultureInfo.InvariantCulture)} characters; at most {options.MaxReasonLength.ToString(CultureInfo.InvariantCulture)} are accepted.");
            return null;
        }
        return reason;
    }

    private static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
