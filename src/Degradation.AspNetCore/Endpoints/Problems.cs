using Degradation.AspNetCore.Contracts;
using Degradation.Operator;
using Microsoft.AspNetCore.Http;

namespace Degradation.AspNetCore.Endpoints;

/// <summary>The <c>application/problem+json</c> answers of the operator API.</summary>
internal static class Problems
{
    public static IResult Validation(FieldErrors errors) =>
        TypedResults.ValidationProblem(errors.ToDictionary(), title: "The request is invalid.");

    public static IResult Validation(string field, string message)
    {
        var errors = new FieldErrors();
        errors.Add(field, message);
        return Validation(errors);
    }

    /// <summary>A 409 whose detail speaks wire names (<c>recovering</c>, <c>safe_mode</c>), whatever names the core used.</summary>
    public static IResult Conflict(string detail) =>
        TypedResults.Problem(WireText.Of(detail), statusCode: StatusCodes.Status409Conflict, title: "The command conflicts with the current state.");

    /// <summary>
    /// A refused operator command: 409 (503 when the new state could not be stored durably) as problem+json with the
    /// refusal, the current sequence to resend with, and the conditions in the way, all in wire names.
    /// </summary>
    public static IResult Refusal(OperatorCommandResult outcome)
    {
        var status = outcome.Refusal == OperatorRefusal.NotPersisted ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status409Conflict;
        var refusal = RefusalWireName(outcome.Refusal);
        var body = new CommandRefusalResponse
        {
            Type = "urn:degradation:refusal:" + refusal,
            Title = RefusalTitle(outcome.Refusal),
            Status = status,
            Detail = WireText.Of(outcome.Message),
            Refusal = refusal,
            CurrentSequence = outcome.CurrentSequence,
            ActiveConditions = [.. outcome.ActiveConditions.Select(ContractMapper.ToResponse)],
        };
        return TypedResults.Json(body, DegradationJsonContext.Default.CommandRefusalResponse, "application/problem+json", status);
    }

    /// <summary>The refusal's wire name, e.g. <c>acknowledgement_required</c>.</summary>
    public static string RefusalWireName(OperatorRefusal refusal) => refusal switch
    {
        OperatorRefusal.None => "none",
        OperatorRefusal.SequenceMismatch => "sequence_mismatch",
        OperatorRefusal.AcknowledgementRequired => "acknowledgement_required",
        OperatorRefusal.StaleAcknowledgement => "stale_acknowledgement",
        OperatorRefusal.HaltActive => "halt_active",
        OperatorRefusal.NotHalted => "not_halted",
        OperatorRefusal.NoOverride => "no_override",
        OperatorRefusal.NotPersisted => "not_persisted",
        _ => "refused_" + ((int)refusal).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static string RefusalTitle(OperatorRefusal refusal) => refusal switch
    {
        OperatorRefusal.SequenceMismatch => "The state changed since you looked.",
        OperatorRefusal.AcknowledgementRequired => "Acknowledgement required.",
        OperatorRefusal.StaleAcknowledgement => "The acknowledgement does not match the active conditions.",
        OperatorRefusal.HaltActive => "The system is halted.",
        OperatorRefusal.NotHalted => "Nothing is halted.",
        OperatorRefusal.NoOverride => "No override is active.",
        OperatorRefusal.NotPersisted => "The command could not be stored durably.",
        _ => "The command was refused.",
    };

    public static IResult UnsupportedMediaType(string? contentType) =>
        TypedResults.Problem($"Writes take a JSON body with Content-Type application/json (was '{contentType ?? "none"}').",
            statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type.");

    public static IResult NoOperatorId(string claim) =>
        TypedResults.Problem($"The authenticated principal carries no operator id ({claim}); writes are audited under it, so they are refused.",
            statusCode: StatusCodes.Status403Forbidden, title: "No operator id.");

    /// <summary>
    /// Maps an argument error from the state machine to a 400 naming the wire field. The core names its
    /// parameters (<c>ttl</c>, <c>reason</c>, …); the API names its JSON fields (<c>ttl_seconds</c>, …).
    /// </summary>
    public static IResult FromArgumentError(ArgumentException error)
    {
        var field = error.ParamName switch
        {
            "ttl" => "ttl_seconds",
            "mode" => "mode",
            "reason" => "reason",
            "operatorId" => "operator_id",
            null or "" => "body",
            var other => other,
        };
        return Validation(field, CleanMessage(error));
    }

    /// <summary>The exception's own message, without the " (Parameter 'x')" and "Actual value was" suffixes the runtime adds.</summary>
    private static string CleanMessage(ArgumentException error)
    {
        var message = error.Message;
        var cut = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        if (cut >= 0) message = message[..cut];
        cut = message.IndexOf(Environment.NewLine + "Actual value was", StringComparison.Ordinal);
        if (cut >= 0) message = message[..cut];
        return message.Trim();
    }
}
