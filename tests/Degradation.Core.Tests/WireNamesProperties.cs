using CsCheck;
using Degradation.Testing;
using Xunit.Abstractions;

namespace Degradation.Tests;

/// <summary>
/// Wire names round-trip: every defined mode and stage parses back from its wire name or C# name in any case, nothing
/// else parses (numbers, other spellings, arbitrary text), and an undefined value is written as its number, which never parses.
/// CsCheck properties from a fixed, printed seed.
/// </summary>
public class WireNamesProperties(ITestOutputHelper output)
{
    private static readonly string Seed = new PCG(2, 20_260_126).ToString();
    private const int Cases = 400;

    private static readonly Gen<string> Text = Gen.OneOf<string>(
        Gen.OneOf<string>([.. WireNames.Modes, .. WireNames.Stages]),
        Gen.OneOf<string>([.. WireNames.Modes, .. WireNames.Stages]).Select(s => s.ToUpperInvariant()),
        Gen.OneOf<string>([.. WireNames.Modes, .. WireNames.Stages]).Select(s => " " + s),
        Gen.OneOf<string>(Enum.GetNames<SystemMode>()),
        Gen.Int[-10, 10].Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz_ "], 0, 24]);

    [Fact]
    public void A_mode_round_trips_through_its_wire_name_and_an_undefined_one_never_parses()
    {
        output.WriteLine($"CsCheck seed: {Seed}");
        FixedSeedProperty.Check(Gen.Int[-4, 12], value =>
        {
            var mode = (SystemMode)value;
            var name = WireNames.Of(mode);
            var parsed = WireNames.TryParseMode(name, out var back);
            Assert.Equal(Enum.IsDefined(mode), parsed);
            if (parsed) Assert.Equal(mode, back);
            else Assert.Equal(((int)mode).ToString(System.Globalization.CultureInfo.InvariantCulture), name); // the byte value
        }, Seed, Cases);
    }

    [Fact]
    public void A_stage_round_trips_through_its_wire_name_and_an_undefined_one_never_parses()
    {
        output.WriteLine($"CsCheck seed: {Seed}");
        FixedSeedProperty.Check(Gen.Int[-4, 12], value =>
        {
            var stage = (RecoveryStage)value;
            var name = WireNames.Of(stage);
            var parsed = WireNames.TryParseStage(name, out var back);
            Assert.Equal(Enum.IsDefined(stage), parsed);
            if (parsed) Assert.Equal(stage, back);
        }, Seed, Cases);
    }

    private static bool IsName(string text, IEnumerable<string> wire, IEnumerable<string> names) =>
        wire.Concat(names).Contains(text.Trim(), StringComparer.OrdinalIgnoreCase);

    private static bool SameName(string text, string wire, string name) =>
        string.Equals(text.Trim(), wire, StringComparison.OrdinalIgnoreCase) || string.Equals(text.Trim(), name, StringComparison.OrdinalIgnoreCase);

    [Fact]
    public void Only_a_wire_or_enum_name_parses_in_any_case_and_it_writes_back_as_the_wire_name()
    {
        output.WriteLine($"CsCheck seed: {Seed}");
        FixedSeedProperty.Check(Text, text =>
        {
            // A text parses when, trimmed, it is a wire name or a C# name in any case; what it parses to is that name.
            Assert.Equal(IsName(text, WireNames.Modes, Enum.GetNames<SystemMode>()), WireNames.TryParseMode(text, out var mode));
            if (WireNames.TryParseMode(text, out mode)) Assert.True(SameName(text, WireNames.Of(mode), mode.ToString()));
            Assert.Equal(IsName(text, WireNames.Stages, Enum.GetNames<RecoveryStage>()), WireNames.TryParseStage(text, out var stage));
            if (WireNames.TryParseStage(text, out stage)) Assert.True(SameName(text, WireNames.Of(stage), stage.ToString()));
        }, Seed, Cases);
        Assert.False(WireNames.TryParseMode(null, out _));
        Assert.False(WireNames.TryParseStage(null, out _));
    }

    [Fact]
    public void Every_wire_name_of_an_enum_is_distinct_and_lower_snake_case()
    {
        var names = new List<string>();
        names.AddRange(Enum.GetValues<SystemMode>().Select(WireNames.Of));
        names.AddRange(Enum.GetValues<RecoveryStage>().Select(WireNames.Of));
        names.AddRange(Enum.GetValues<ActionType>().Select(WireNames.Of));
        names.AddRange(Enum.GetValues<ComponentLevel>().Select(WireNames.Of));
        names.AddRange(Enum.GetValues<TransitionKind>().Select(WireNames.Of));
        names.AddRange(Enum.GetValues<RecoveryTrigger>().Select(WireNames.Of));
        Assert.All(names, n => Assert.Matches("^[a-z]+(_[a-z]+)*$", n));
        foreach (var group in new[] { Enum.GetValues<SystemMode>().Select(WireNames.Of), Enum.GetValues<TransitionKind>().Select(WireNames.Of), Enum.GetValues<ComponentLevel>().Select(WireNames.Of) })
            Assert.Equal(group.Count(), group.Distinct().Count());
    }
}
