namespace Degradation.Alerts;

/// <summary>Audience names the library itself uses when it raises alerts. Applications may use any other string.</summary>
public static class AlertAudiences
{
    /// <summary>The people running the trading system.</summary>
    public const string Operators = "operators";
    /// <summary>The risk desk.</summary>
    public const string Risk = "risk";
    /// <summary>Engineers on call.</summary>
    public const string OnCall = "oncall";
    /// <summary>Those who approve degraded operation (by default, approvals go to management).</summary>
    public const string Management = "management";
}
