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
