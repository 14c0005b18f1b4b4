using System.Globalization;

namespace Degradation.AspNetCore;

/// <summary>
/// Options of the operator API and dashboard mapped by
/// <see cref="DegradationEndpointRouteBuilderExtensions.MapDegradationEndpoints(Microsoft.AspNetCore.Routing.IEndpointRouteBuilder, string, Action{DegradationEndpointOptions}?)"/>.
/// Every write (force, release, recovery) requires authorization; reads can be opened or closed by the host.
/// </summary>
public sealed class DegradationEndpointOptions
{
    /// <summary>The role the default write policy requires.</summary>
    public const string DefaultOperatorRole = "degradation-operator";

    /// <summary>
    /// Name of an authorization policy the host registered (<c>AddAuthorization(o =&gt; o.AddPolicy(...))</c>) that
    /// every write must satisfy. When null, writes require an authenticated user in <see cref="OperatorRole"/>.
    /// </summary>
    public string? WritePolicy { get; set; }

    /// <summary>The role the default write policy requires (ignored when <see cref="WritePolicy"/> is set).</summary>
    public string OperatorRole { get; set; } = DefaultOperatorRole;

    /// <summary>
    /// When true (the default), reads (status, permissions, components, history, events and the dashboard page)
    /// require <see cref="ReadPolicy"/>, or an authenticated user when it is null. When false they are open to anyone,
    /// even when the host has a fallback authorization policy.
    /// </summary>
    public bool RequireAuthorizationForReads { get; set; } = true;

    /// <summary>Name of a host-registered policy for reads; an authenticated user is required when null.</summary>
    public string? ReadPolicy { get; set; }

    /// <summary>Authentication schemes the default read and write policies evaluate; the host's default scheme when empty.</summary>
    public IList<string> AuthenticationSchemes { get; } = [];

    /// <summary>
    /// The claim that carries the operator id recorded in the audit trail. When null, the principal's
    /// <see cref="System.Security.Principal.IIdentity.Name"/> is used, then its name-identifier claim.
    /// The operator id never comes from the request body.
    /// </summary>
    public string? OperatorIdClaimType { get; set; }

    /// <summary>The largest request body, in bytes, a write accepts; larger bodies answer 400.</summary>
    public int MaxBodyBytes { get; set; } = 16 * 1024;

    /// <summary>The longest operator reason, in characters.</summary>
    public int MaxReasonLength { get; set; } = 1000;

    /// <summary>The history page size when the request names none.</summary>
    public int DefaultHistoryPageSize { get; set; } = 50;

    /// <summary>The largest history page size a request may ask for.</summary>
    public int MaxHistoryPageSize { get; set; } = 500;

    /// <summary>Serve the dashboard page at the prefix (e.g. <c>/degradation/</c>).</summary>
    public bool EnableDashboard { get; set; } = true;

    /// <summary>
    /// A path of the host (e.g. <c>/logout</c>) that ends the caller's session when POSTed to; the dashboard shows a
    /// sign-out button that posts there. No button when null. It must be a local path (starting with one '/').
    /// </summary>
    public string? LogoutPath { get; set; }

    /// <summary>How often a Server-Sent Events stream writes a keep-alive comment, in seconds.</summary>
    public TimeSpan EventStreamKeepAlive { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How many transitions may wait for one slow event-stream client before it is told to resynchronise.</summary>
    public int EventStreamBufferSize { get; set; } = 256;

    /// <summary>Checks every value and returns one message per invalid option (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (WritePolicy is { } write && string.IsNullOrWhiteSpace(write))
            errors.Add($"{nameof(WritePolicy)} must not be blank (was '{write}'); use null for the default operator-role policy.");
        if (WritePolicy is null && string.IsNullOrWhiteSpace(OperatorRole))
            errors.Add($"{nameof(OperatorRole)} must not be empty when {nameof(WritePolicy)} is null (was '{OperatorRole}').");
        if (ReadPolicy is { } read && string.IsNullOrWhiteSpace(read))
            errors.Add($"{nameof(ReadPolicy)} must not be blank (was '{read}').");
        if (OperatorIdClaimType is { } claim && string.IsNullOrWhiteSpace(claim))
            errors.Add($"{nameof(OperatorIdClaimType)} must not be blank (was '{claim}').");
        foreach (var scheme in AuthenticationSchemes)
            if (string.IsNullOrWhiteSpace(scheme)) errors.Add($"{nameof(AuthenticationSchemes)} has a blank scheme name.");
        if (LogoutPath is { } logout && (!logout.StartsWith('/') || logout.StartsWith("//", StringComparison.Ordinal) || logout.Contains('\\') || logout.Any(char.IsWhiteSpace)))
            errors.Add($"{nameof(LogoutPath)} must be a local path starting with a single '/' (was '{logout}').");
        if (MaxBodyBytes <= 0) errors.Add($"{nameof(MaxBodyBytes)} must be > 0 (was {Format(MaxBodyBytes)}).");
        if (MaxReasonLength <= 0) errors.Add($"{nameof(MaxReasonLength)} must be > 0 (was {Format(MaxReasonLength)}).");
        if (DefaultHistoryPageSize <= 0) errors.Add($"{nameof(DefaultHistoryPageSize)} must be > 0 (was {Format(DefaultHistoryPageSize)}).");
        if (MaxHistoryPageSize <= 0) errors.Add($"{nameof(MaxHistoryPageSize)} must be > 0 (was {Format(MaxHistoryPageSize)}).");
        else if (DefaultHistoryPageSize > MaxHistoryPageSize)
            errors.Add($"{nameof(DefaultHistoryPageSize)} ({Format(DefaultHistoryPageSize)}) must not exceed {nameof(MaxHistoryPageSize)} ({Format(MaxHistoryPageSize)}).");
        if (EventStreamKeepAlive <= TimeSpan.Zero || EventStreamKeepAlive > TimeSpan.FromDays(1))
            errors.Add($"{nameof(EventStreamKeepAlive)} must be > 0 and at most a day (was {EventStreamKeepAlive.ToString("c", CultureInfo.InvariantCulture)}).");
        if (EventStreamBufferSize <= 0) errors.Add($"{nameof(EventStreamBufferSize)} must be > 0 (was {Format(EventStreamBufferSize)}).");
        return errors;
    }

    private static string Format(int value) => value.ToString(CultureInfo.InvariantCulture);
}
