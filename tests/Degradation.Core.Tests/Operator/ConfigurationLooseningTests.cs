namespace Degradation.Tests.Operator;

/// <summary>Configuration cannot loosen a built-in safety rule silently.</summary>
public class ConfigurationLooseningTests
{
    [Theory]
    [InlineData("broker.disconnect", SystemMode.Normal)]
    [InlineData("broker.disconnect", SystemMode.SafeMode)]
    [InlineData("broker.mismatch", SystemMode.SafeModeDisconnected)]
    [InlineData("market_data.stale", SystemMode.Degraded)]
    [InlineData("db.buffer_overflow", SystemMode.Recovering)]
    [InlineData("alerts.channel_down", SystemMode.Normal)]
    public void Mapping_a_built_in_reason_to_a_less_strict_mode_is_refused_naming_the_key(string reason, SystemMode mode)
    {
        var options = new DegradationOptions { DecisionMatrix = { [reason] = mode } };
        var error = Assert.Throws<DegradationOptionsException>(() => new DegradationPolicy(options));
        Assert.Contains($"DecisionMatrix:{reason}", error.Message);
        Assert.Contains(nameof(DegradationOptions.AllowLoosening), error.Message);
    }

    [Fact]
    public void Listed_in_AllowLoosening_it_is_accepted_and_reported_for_a_warning_on_every_start()
    {
        var options = new DegradationOptions { DecisionMatrix = { ["broker.disconnect"] = SystemMode.SafeMode }, AllowLoosening = { "broker.disconnect" } };
        var policy = new DegradationPolicy(options);
        Assert.Equal(SystemMode.SafeMode, policy.DecisionMatrix["broker.disconnect"]);
        Assert.Equal(["broker.disconnect: safe_mode_disconnected -> safe_mode"], policy.LoosenedReasons);
    }

    [Theory]
    [InlineData("broker.disconnect", SystemMode.Halt)]
    [InlineData("alerts.channel_down", SystemMode.SafeMode)]
    [InlineData("orderbook.gap", SystemMode.Degraded)]
    [InlineData("market_data.stale", SystemMode.SafeMode)]
    public void Tightening_a_built_in_reason_or_mapping_a_new_one_needs_nothing(string reason, SystemMode mode)
    {
        var policy = new DegradationPolicy(new DegradationOptions { DecisionMatrix = { [reason] = mode } });
        Assert.Equal(mode, policy.DecisionMatrix[reason]);
        Assert.Empty(policy.LoosenedReasons);
    }

    [Theory]
    [InlineData("broker.reconnected", SystemMode.Recovering)]
    [InlineData("all.healthy", SystemMode.Normal)]
    [InlineData("recovery.complete", SystemMode.Halt)]
    [InlineData("cold_start", SystemMode.SafeMode)]
    public void Control_reasons_cannot_be_remapped_even_when_allowed(string reason, SystemMode mode)
    {
        var options = new DegradationOptions { DecisionMatrix = { [reason] = mode }, AllowLoosening = { reason } };
        var error = Assert.Throws<DegradationOptionsException>(() => new DegradationPolicy(options));
        Assert.Contains($"DecisionMatrix:{reason} is a control reason", error.Message);
    }
}
