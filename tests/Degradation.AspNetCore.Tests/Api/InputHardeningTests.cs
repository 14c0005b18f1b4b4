using System.Net;
using Degradation.Tests.Infrastructure;

namespace Degradation.Tests.Api;

/// <summary>Bodies that would bind one way and read another: repeated keys, control and bidirectional characters.</summary>
public sealed class InputHardeningTests
{
    [Theory]
    [InlineData("""{"mode":"safe_mode","mode":"halt","ttl_seconds":60,"reason":"r"}""", "mode")]
    [InlineData("""{"mode":"safe_mode","Mode":"halt","ttl_seconds":60,"reason":"r"}""", "Mode")]
    [InlineData("""{"mode":"degraded","ttl_seconds":60,"reason":"a","reason":"b"}""", "reason")]
    [InlineData("""{"mode":"degraded","ttl_seconds":60,"ttl_seconds":3600,"reason":"r"}""", "ttl_seconds")]
    [InlineData("""{"mode":"degraded","ttl_seconds":60,"reason":"r","note":1,"note":2}""", "note")]
    [InlineData("""{"mode":"degraded","ttl_seconds":60,"reason":"r","extra":{"a":1,"a":2}}""", "extra.a")]
    public async Task A_repeated_key_is_refused_naming_it_and_nothing_changes(string json, string field)
    {
        await using var host = await DegradationTestHost.StartAsync();
        var before = host.System.StateMachine.TransitionCount;

        using var response = await host.OperatorClient().PostRawAsync("/degradation/force", json);

        var message = await response.AssertValidationProblemAsync(field);
        Assert.Contains("appears more than once", message);
        Assert.Equal(before, host.System.StateMachine.TransitionCount);
        Assert.Equal(SystemMode.Normal, host.System.Gate.Mode);
        Assert.False(host.System.StateMachine.IsOverrideActive);
    }

    public static TheoryData<string, string, string> ForgedText => new()
    {
        { "reason", "line one\\r\\nFORGED 12:00 operator=root", "U+000D (carriage return)" },
        { "reason", "line one\\nsecond", "U+000A (line feed)" },
        { "reason", "nul\\u0000byte", "U+0000 (NUL)" },
        { "reason", "tab\\there", "U+0009 (tab)" },
        { "reason", "next\\u0085line", "U+0085 (next line)" },
        { "reason", "c1\\u009bcsi", "U+009B" },
        { "reason", "del\\u007f", "U+007F" },
        { "reason", "split\\u2028line", "U+2028 (line separator)" },
        { "reason", "evil\\u202egnp.exe", "U+202E (bidirectional override)" },
        { "reason", "embed\\u202ax", "U+202A" },
        { "reason", "isolate\\u2066x\\u2069", "U+2066 (bidirectional isolate)" },
        { "reason", "pop\\u2069", "U+2069" },
        { "mode", "safe_mode\\n", "U+000A" },
        { "operator_id", "mallory\\r\\n", "U+000D" },
        { "note", "unbound fields are checked too\\u202e", "U+202E" },
    };

    [Theory]
    [MemberData(nameof(ForgedText))]
    public async Task Control_and_bidi_characters_in_any_text_field_are_refused_naming_the_field(string field, string escapedValue, string expected)
    {
        await using var host = await DegradationTestHost.StartAsync();
        var before = host.System.StateMachine.TransitionCount;
        var fields = new Dictionary<string, string> { ["mode"] = "\"degraded\"", ["ttl_seconds"] = "60", ["reason"] = "\"drill\"" };
        fields[field] = "\"" + escapedValue + "\"";
        var json = "{" + string.Join(",", fields.Select(f => $"\"{f.Key}\":{f.Value}")) + "}";

        using var response = await host.OperatorClient().PostRawAsync("/degradation/force", json);

        var message = await response.AssertValidationProblemAsync(field);
        Assert.Contains(expected, message);
        Assert.Equal(before, host.System.StateMachine.TransitionCount);
        Assert.False(host.System.StateMachine.IsOverrideActive);
    }

    [Theory]
    [InlineData("/degradation/release", """{"target":"override","reason":"done\r\nFORGED"}""", "reason")]
    [InlineData("/degradation/release", """{"target":"halt\u202e","reason":"r"}""", "target")]
    [InlineData("/degradation/recovery/start", """{"reason":"x\u0000"}""", "reason")]
    [InlineData("/degradation/recovery/complete", """{"reason":"\u2067x"}""", "reason")]
    [InlineData("/degradation/force", """{"mode":"degraded","ttl_seconds":60,"reason":"r","tags":["ok","bad\n"]}""", "tags[1]")]
    [InlineData("/degradation/force", """{"mode":"degraded","ttl_seconds":60,"reason":"r","a\nb":1}""", "a\\u000ab")]
    public async Task Every_write_checks_every_text_field_including_arrays_and_keys(string path, string json, string field)
    {
        await using var host = await DegradationTestHost.StartAsync();
        var before = host.System.StateMachine.TransitionCount;
        await (await host.OperatorClient().PostRawAsync(path, json)).AssertValidationProblemAsync(field);
        Assert.Equal(before, host.System.StateMachine.TransitionCount);
    }

    [Fact]
    public async Task A_lone_surrogate_is_refused_as_invalid_text()
    {
        await using var host = await DegradationTestHost.StartAsync();
        var message = await (await host.OperatorClient().PostRawAsync("/degradation/force", """{"mode":"degraded","ttl_seconds":60,"reason":"x\ud800"}"""))
            .AssertValidationProblemAsync("reason");
        Assert.Contains("not valid Unicode", message);
    }

    [Fact]
    public async Task Ordinary_text_with_accents_quotes_and_emoji_is_accepted()
    {
        await using var host = await DegradationTestHost.StartAsync();
        const string reason = "Börse \"Xetra\" – Wartung 🛠 (ticket #42); 東京";
        using var response = await host.OperatorClient().PostRawAsync("/degradation/force",
            $$"""{"mode":"degraded","ttl_seconds":60,"reason":"{{reason.Replace("\"", "\\\"")}}"}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(reason, host.System.StateMachine.Override!.Reason);
    }
}
