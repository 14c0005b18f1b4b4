using System.Globalization;
using Degradation.AspNetCore.Contracts;
using Degradation.Operator;
using Degradation.State;
using Microsoft.AspNetCore.Http;

namespace Degradation.AspNetCore.Endpoints;

/// <summary>
/// POST halt, release-halt, force, release, recovery/start and recovery/complete. Each runs behind the write policy,
/// takes the operator id from the authenticated principal, and goes through the state machine's own commands (which
/// validate, decide and audit). Argument errors answer 400 naming the field; refusals (stale sequence, missing
/// acknowledgement, nothing to release, …) answer 409 with the current sequence and the conditions in the way.
/// </summary>
internal sealed class CommandEndpoints(DegradationEndpointOptions options)
{
    private const string ReleaseOverrideTarget = "override";
    private const string ReleaseHaltTarget = "halt";

    public async Task HaltAsync(HttpContext context)
    {
        var (body, bodyError) = await JsonBody.ReadAsync(context, DegradationJsonContext.Default.HaltRequest, options.MaxBodyBytes).ConfigureAwait(false);
        if (bodyError is not null) { await bodyError.ExecuteAsync(context).ConfigureAwait(false); return; }
        if (!TryGetOperator(context, out var operatorId, out var denied)) { await denied.ExecuteAsync(context).ConfigureAwait(false); return; }

        var errors = new FieldErrors();
        var reason = CheckReason(body!.Reason, errors);
        CheckSequence(body.ExpectedSequence, errors);
        if (errors.Any) { await Problems.Validation(errors).ExecuteAsync(context).ConfigureAwait(false); return; }

        var system = SystemAccessor.Get(context);
        await RunAsync(context, () => Command(system, system.StateMachine.Halt(operatorId, reason!, body.ExpectedSequence))).ConfigureAwait(false);
    }

    public async Task ReleaseHaltAsync(HttpContext context)
    {
        var (body, bodyError) = await JsonBody.ReadAsync(context, DegradationJsonContext.Default.ReleaseHaltRequest, options.MaxBodyBytes).ConfigureAwait(false);
        if (bodyError is not null) { await bodyError.ExecuteAsync(context).ConfigureAwait(false); return; }
        if (!TryGetOperator(context, out var operatorId, out var denied)) { await denied.ExecuteAsync(context).ConfigureAwait(false); return; }

        var errors = new FieldErrors();
        var reason = CheckReason(body!.Reason, errors);
        CheckSequence(body.ExpectedSequence, errors);
        var acknowledge = ParseAcknowledge(body.Acknowledge, errors);
        if (errors.Any) { await Problems.Validation(errors).ExecuteAsync(context).ConfigureAwait(false); return; }

        var system = SystemAccessor.Get(context);
        await RunAsync(context, () => Command(system, system.StateMachine.ReleaseHalt(operatorId, reason!, body.ExpectedSequence, acknowledge))).ConfigureAwait(false);
    }

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
        CheckSequence(body.ExpectedSequence, errors);
        var acknowledge = ParseAcknowledge(body.Acknowledge, errors);
        if (errors.Any) { await Problems.Validation(errors).ExecuteAsync(context).ConfigureAwait(false); return; }

        await RunAsync(context, () =>
        {
            var outcome = system.StateMachine.ForceMode(mode, ttl, operatorId, reason!, body.ExpectedSequence, acknowledge);
            if (!outcome.Accepted) return Refused(outcome);
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
            errors.Add("target", $"'target' is required: '{ReleaseOverrideTarget}' or '{ReleaseHaltTarget}'.");
        else if (target is not (ReleaseOverrideTarget or ReleaseHaltTarget))
            errors.Add("target", $"Unknown release target '{target}': expected '{ReleaseOverrideTarget}' or '{ReleaseHaltTarget}'.");
        var reason = CheckReason(body.Reason, errors);
        CheckSequence(body.ExpectedSequence, errors);
        var acknowledge = ParseAcknowledge(body.Acknowledge, errors);
        if (target == ReleaseOverrideTarget && acknowledge is not null)
            errors.Add("acknowledge", "'acknowledge' applies to releasing a Halt; ending an override needs none (the mode is re-derived from the conditions).");
        if (errors.Any) { await Problems.Validation(errors).ExecuteAsync(context).ConfigureAwait(false); return; }

        var system = SystemAccessor.Get(context);
        await RunAsync(context, () => Command(system, target == ReleaseOverrideTarget
            ? system.StateMachine.ReleaseOverride(operatorId, reason, body.ExpectedSequence)
            : system.StateMachine.ReleaseHalt(operatorId, reason!, body.ExpectedSequence, acknowledge))).ConfigureAwait(false);
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
        await RunAsync(context, () =>
        {
            var transition = system.StateMachine.CompleteRecovery(operatorId, reason);
            return TypedResults.Json(new CommandResponse { Transition = ContractMapper.ToResponse(transition), Status = ContractMapper.ToStatus(system) },
                DegradationJsonContext.Default.CommandResponse);
        }).ConfigureAwait(false);
    }

    private async Task<(string? Reason, IResult? Error)> ReadRecoveryAsync(HttpContext context)
    {
        var (body, bodyError) = await JsonBody.ReadAsync(context, DegradationJsonContext.Default.RecoveryRequest, options.MaxBodyBytes).ConfigureAwait(false);
        if (bodyError is not null) return (null, bodyError);
        var errors = new FieldErrors();
        var reason = CheckReason(body!.Reason, errors);
        return errors.Any ? (null, Problems.Validation(errors)) : (reason, null);
    }

    /// <summary>An accepted command answers with its transition and the status; a refused one with 409 (see <see cref="Refused"/>).</summary>
    private static IResult Command(DegradationSystem system, OperatorCommandResult outcome)
    {
        if (!outcome.Accepted) return Refused(outcome);
        return TypedResults.Json(new CommandResponse
        {
            Transition = ContractMapper.ToResponse(TransitionOf(system, outcome)),
            Status = ContractMapper.ToStatus(system),
            Message = WireText.Of(outcome.Message),
            Durable = outcome.Durable,
        }, DegradationJsonContext.Default.CommandResponse);
    }

    /// <summary>A refusal as problem+json: 409, or 503 when the state could not be stored durably (retrying may succeed).</summary>
    private static IResult Refused(OperatorCommandResult outcome) => Problems.Refusal(outcome);

    // An accepted command that changed nothing (e.g. a Halt on a halted system) answers with the latest transition.
    private static ModeTransition TransitionOf(DegradationSystem system, OperatorCommandResult outcome) =>
        outcome.Transition ?? system.StateMachine.LastTransition!;

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

    private static void CheckSequence(long? expected, FieldErrors errors)
    {
        if (expected is < 0)
            errors.Add("expected_sequence", $"'expected_sequence' must be a transition sequence (>= 0) as GET status reports it (was {expected.Value.ToString(CultureInfo.InvariantCulture)}).");
    }

    /// <summary>The acknowledged reasons; null when the field is absent. Each must be a reason's wire name, once.</summary>
    private static IReadOnlyCollection<ReasonCode>? ParseAcknowledge(IReadOnlyList<string>? acknowledge, FieldErrors errors)
    {
        if (acknowledge is null) return null;
        var reasons = new List<ReasonCode>(acknowledge.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < acknowledge.Count; i++)
        {
            var field = "acknowledge[" + i.ToString(CultureInfo.InvariantCulture) + "]";
            var value = acknowledge[i];
            if (string.IsNullOrWhiteSpace(value))
                errors.Add(field, $"'{field}' must be a condition reason such as 'broker.disconnect' (was empty).");
            else if (value.Length > 200)
                errors.Add(field, $"'{field}' is {value.Length.ToString(CultureInfo.InvariantCulture)} characters; a condition reason has at most 200.");
            else if (!seen.Add(value))
                errors.Add(field, $"'{value}' is acknowledged twice; list each condition reason once.");
            else
                reasons.Add(new ReasonCode(value));
        }
        return reasons;
    }

    private static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
