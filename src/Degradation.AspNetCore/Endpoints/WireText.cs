using System.Text.RegularExpressions;

namespace Degradation.AspNetCore.Endpoints;

/// <summary>
/// Rewrites the C# names of modes and recovery stages in a human message (<c>Recovering/Ready</c>, <c>SafeMode</c>) to
/// their wire names (<c>recovering/ready</c>, <c>safe_mode</c>), so an API answer speaks the same names as its JSON.
/// </summary>
internal static partial class WireText
{
    public static string Of(string message) => EnumName().Replace(message, static match => match.Value switch
    {
        nameof(SystemMode.SafeModeDisconnected) => WireNames.Of(SystemMode.SafeModeDisconnected),
        nameof(SystemMode.SafeMode) => WireNames.Of(SystemMode.SafeMode),
        nameof(SystemMode.Normal) => WireNames.Of(SystemMode.Normal),
        nameof(SystemMode.Recovering) => WireNames.Of(SystemMode.Recovering),
        nameof(SystemMode.Degraded) => WireNames.Of(SystemMode.Degraded),
        nameof(SystemMode.Halt) => WireNames.Of(SystemMode.Halt),
        nameof(RecoveryStage.ConnectBroker) => WireNames.Of(RecoveryStage.ConnectBroker),
        nameof(RecoveryStage.CatchupMarketData) => WireNames.Of(RecoveryStage.CatchupMarketData),
        nameof(RecoveryStage.VerifyRisk) => WireNames.Of(RecoveryStage.VerifyRisk),
        nameof(RecoveryStage.Ready) => WireNames.Of(RecoveryStage.Ready),
        var other => other,
    });

    [GeneratedRegex(@"\b(SafeModeDisconnected|SafeMode|Normal|Recovering|Degraded|Halt|ConnectBroker|CatchupMarketData|VerifyRisk|Ready)\b", RegexOptions.CultureInvariant)]
    private static partial Regex EnumName();
}
