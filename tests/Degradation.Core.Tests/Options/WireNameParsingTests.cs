namespace Degradation.Tests.Options;

/// <summary>
/// One parser for mode, action and stage names everywhere text comes in (configuration, HTTP API, command line, stored
/// state): the wire name and the C# name, in any case; never a number or a near miss. Every value is checked.
/// </summary>
public sealed class WireNameParsingTests
{
    public static TheoryData<SystemMode> Modes() => [.. Enum.GetValues<SystemMode>()];
    public static TheoryData<ActionType> Actions() => [.. Enum.GetValues<ActionType>()];
    public static TheoryData<RecoveryStage> Stages() => [.. Enum.GetValues<RecoveryStage>()];

    [Theory]
    [MemberData(nameof(Modes))]
    public void Every_mode_parses_from_its_wire_and_CSharp_names_in_any_case_and_prints_back_its_wire_name(SystemMode mode)
    {
        foreach (var spelling in Spellings(WireNames.Of(mode), mode.ToString()))
        {
            Assert.True(WireNames.TryParseMode(spelling, out var parsed), spelling);
            Assert.Equal(mode, parsed);
            Assert.Equal(WireNames.Of(mode), WireNames.Of(parsed));
        }
    }

    [Theory]
    [MemberData(nameof(Actions))]
    public void Every_action_parses_from_its_wire_and_CSharp_names_in_any_case(ActionType action)
    {
        foreach (var spelling in Spellings(WireNames.Of(action), action.ToString()))
        {
            Assert.True(WireNames.TryParseAction(spelling, out var parsed), spelling);
            Assert.Equal(action, parsed);
        }
    }

    [Theory]
    [MemberData(nameof(Stages))]
    public void Every_stage_parses_from_its_wire_and_CSharp_names_in_any_case(RecoveryStage stage)
    {
        foreach (var spelling in Spellings(WireNames.Of(stage), stage.ToString()))
        {
            Assert.True(WireNames.TryParseStage(spelling, out var parsed), spelling);
            Assert.Equal(stage, parsed);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("0")]
    [InlineData("3")]
    [InlineData("safe-mode")]
    [InlineData("safe mode")]
    [InlineData("safe__mode")]
    [InlineData("SafeModes")]
    [InlineData("halted")]
    public void Numbers_and_near_misses_are_not_modes(string? text)
    {
        Assert.False(WireNames.TryParseMode(text, out _));
        Assert.False(WireNames.TryParseAction(text, out _));
        Assert.False(WireNames.TryParseStage(text, out _));
    }

    [Fact]
    public void The_lists_of_valid_names_for_error_messages_name_every_value()
    {
        Assert.All(WireNames.Modes, name => Assert.Contains(name, WireNames.ValidModes, StringComparison.Ordinal));
        Assert.All(WireNames.Actions, name => Assert.Contains(name, WireNames.ValidActions, StringComparison.Ordinal));
        Assert.All(WireNames.Stages, name => Assert.Contains(name, WireNames.ValidStages, StringComparison.Ordinal));
    }

    private static IEnumerable<string> Spellings(string wire, string csharp) =>
        [wire, csharp, wire.ToUpperInvariant(), csharp.ToLowerInvariant(), csharp.ToUpperInvariant(), $" {wire} "];
}
