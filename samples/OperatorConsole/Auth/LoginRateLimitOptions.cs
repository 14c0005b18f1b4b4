namespace OperatorConsole.Auth;

/// <summary>Configuration section <c>OperatorConsole:LoginRateLimit</c>: how many sign-in attempts one client address may make per window.</summary>
public sealed class LoginRateLimitOptions
{
    public const string SectionName = "OperatorConsole:LoginRateLimit";

    /// <summary>Attempts (right or wrong) per client address and window; further attempts answer 429 until the window ends.</summary>
    public int PermitLimit { get; set; } = 5;

    /// <summary>The window, in seconds.</summary>
    public int WindowSeconds { get; set; } = 60;
}
