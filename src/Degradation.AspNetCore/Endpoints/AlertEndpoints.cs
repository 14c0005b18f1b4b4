using System.Globalization;
using Degradation.Alerts;
using Degradation.AspNetCore.Contracts;
using Degradation.Events;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Degradation.AspNetCore.Endpoints;

/// <summary>
/// GET <c>alerts</c> (read) and POST <c>alerts/{id}/acknowledge</c> (write): the host's <see cref="AlertRouter"/>'s
/// alerts that need acknowledgement, and an operator acknowledging one (audited by the router).
/// </summary>
internal sealed class AlertEndpoints(DegradationEndpointOptions options)
{
    public Task ListAsync(HttpContext context)
    {
        var router = context.RequestServices.GetService<AlertRouter>();
        var time = router?.TimeProvider ?? SystemAccessor.Get(context).TimeProvider;
        var response = new AlertsResponse
        {
            TracksAcknowledgements = router?.TracksAcknowledgements ?? false,
            Unacknowledged = router?.UnacknowledgedCount ?? 0,
            Alerts = router is null ? [] : [.. router.GetAlerts().Select(ToResponse)],
            ServerTime = time.GetUtcNow(),
        };
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Json(response, DegradationJsonContext.Default.AlertsResponse).ExecuteAsync(context);
    }

    public async Task AcknowledgeAsync(HttpContext context)
    {
        var (body, bodyError) = await JsonBody.ReadAsync(context, DegradationJsonContext.Default.AcknowledgeAlertRequest, options.MaxBodyBytes).ConfigureAwait(false);
        if (bodyError is not null) { await bodyError.ExecuteAsync(context).ConfigureAwait(false); return; }
        var operatorId = OperatorIdentity.Find(context.User, options.OperatorIdClaimType);
        if (operatorId is null)
        {
            await Problems.NoOperatorId(OperatorIdentity.Describe(options.OperatorIdClaimType)).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }
        var errors = new FieldErrors();
        var raw = context.Request.RouteValues["id"] as string;
        if (!long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0)
            errors.Add("id", $"The alert id must be a positive whole number as GET alerts reports it (was '{raw}').");
        var note = body!.Note?.Trim();
        if (note is { Length: > 0 } && note.Length > options.MaxReasonLength)
            errors.Add("note", $"'note' is {note.Length.ToString(CultureInfo.InvariantCulture)} characters; at most {options.MaxReasonLength.ToString(CultureInfo.InvariantCulture)} are accepted.");
        if (errors.Any) { await Problems.Validation(errors).ExecuteAsync(context).ConfigureAwait(false); return; }

        var router = context.RequestServices.GetService<AlertRouter>();
        if (router is not { TracksAcknowledgements: true })
        {
            await NotFound("This host does not track alert acknowledgements.").ExecuteAsync(context).ConfigureAwait(false);
            return;
        }
        var outcome = router.Acknowledge(id, operatorId, string.IsNullOrEmpty(note) ? null : note);
        var alert = router.GetAlerts().FirstOrDefault(a => a.Alert.Id == id || a.EscalationId == id);
        if (outcome == AcknowledgeOutcome.NotFound || alert is null)
        {
            await NotFound($"No alert waiting for acknowledgement has id {id.ToString(CultureInfo.InvariantCulture)} (GET alerts lists them).")
                .ExecuteAsync(context).ConfigureAwait(false);
            return;
        }
        context.Response.Headers.CacheControl = "no-store";
        await TypedResults.Json(new AcknowledgeAlertResponse
        {
            Outcome = outcome == AcknowledgeOutcome.Acknowledged ? "acknowledged" : "already_acknowledged",
            Alert = ToResponse(alert),
        }, DegradationJsonContext.Default.AcknowledgeAlertResponse).ExecuteAsync(context).ConfigureAwait(false);
    }

    private static IResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "No such alert.");

    private static AlertResponse ToResponse(TrackedAlert tracked) => new()
    {
        Id = tracked.Alert.Id,
        Severity = Lower(tracked.Alert.Severity),
        Audience = tracked.Alert.Audience,
        Title = tracked.Alert.Title,
        Message = tracked.Alert.Message,
        Component = tracked.Alert.Component?.Name,
        Reason = tracked.Alert.Reason?.Value,
        Time = tracked.Alert.Time,
        State = Lower(tracked.State),
        Deadline = tracked.Deadline,
        EscalatedAt = tracked.EscalatedAt,
        AcknowledgedBy = tracked.AcknowledgedBy,
        AcknowledgedAt = tracked.AcknowledgedAt,
        Note = tracked.Note,
    };

    private static string Lower<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();
}
