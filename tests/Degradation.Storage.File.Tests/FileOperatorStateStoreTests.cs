using Degradation.Storage.File;
using Microsoft.Extensions.Time.Testing;

namespace Degradation.Tests.Storage;

/// <summary>The file operator state store: a round trip, atomic replacement, and an unreadable file that starts the system halted.</summary>
public sealed class FileOperatorStateStoreTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Halt_and_override_round_trip_with_absolute_times()
    {
        using var directory = new TempDirectory();
        var store = new FileOperatorStateStore(directory.Path);
        Assert.Null(store.Load());
        var state = new OperatorState
        {
            Halt = new OperatorHaltInfo { OperatorId = "carol", Reason = "runaway \"algo\" ✓", Since = Start },
            Override = new OverrideInfo
            {
                Mode = SystemMode.SafeModeDisconnected, OperatorId = "alice", Reason = "maintenance", Ttl = TimeSpan.FromMinutes(10),
                StartedAt = Start, ExpiresAt = Start.AddMinutes(10), ExpiresAtTimestamp = 12345,
            },
            SavedAt = Start,
        };
        store.Save(state);
        var loaded = new FileOperatorStateStore(directory.Path).Load()!;
        Assert.Equal(state.Halt, loaded.Halt);
        Assert.Equal(state.Override with { ExpiresAtTimestamp = 0 }, loaded.Override);
        Assert.Equal(Start, loaded.SavedAt);

        store.Save(OperatorState.Empty with { SavedAt = Start.AddMinutes(1) });
        var cleared = store.Load()!;
        Assert.Null(cleared.Halt);
        Assert.Null(cleared.Override);
        Assert.False(File.Exists(store.FilePath + ".tmp"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"version\":1,\"saved_at\":\"2026-11-30T09:00:00+00:00\",\"halt\":{\"operator_id\":\"carol\"")]
    [InlineData("{\"version\":2,\"saved_at\":\"2026-11-30T09:00:00+00:00\"}")]
    [InlineData("{\"version\":1,\"saved_at\":\"2026-11-30T09:00:00+00:00\",\"override\":{\"mode\":\"panic\",\"operator_id\":\"a\",\"reason\":\"r\",\"ttl_seconds\":1,\"started_at\":\"2026-11-30T09:00:00+00:00\",\"expires_at\":\"2026-11-30T09:00:01+00:00\"}}")]
    public void An_unreadable_file_is_reported_and_starts_the_system_halted(string content)
    {
        using var directory = new TempDirectory();
        var store = new FileOperatorStateStore(directory.Path);
        File.WriteAllText(store.FilePath, content);
        var error = Assert.Throws<InvalidDataException>(store.Load);
        Assert.Contains(FileOperatorStateStore.FileName, error.Message);

        var machine = new DegradationStateMachine(new DegradationPolicy(new DegradationOptions()), new FakeTimeProvider(Start), store);
        Assert.Equal(SystemMode.Halt, machine.Gate.Snapshot.Mode);
        Assert.Contains("could not be read", machine.OperatorHalt!.Reason);
    }

    [Fact]
    public void Each_scope_has_its_own_file_that_names_its_scope_and_the_process_file_stays_as_it_was()
    {
        using var directory = new TempDirectory();
        var process = new FileOperatorStateStore(directory.Path);
        var account = (FileOperatorStateStore)process.ForScope("venue-a/acct-1");
        Assert.Equal(Path.Combine(Path.GetFullPath(directory.Path), "operator-state.scope.venue-a+acct-1.json"), account.FilePath);
        Assert.Null(account.Load());

        var halt = new OperatorHaltInfo { OperatorId = "carol", Reason = "runaway account", Since = Start };
        account.Save(new OperatorState { Halt = halt, SavedAt = Start });
        Assert.Contains("\"scope\": \"venue-a/acct-1\"", File.ReadAllText(account.FilePath));
        var loaded = ((FileOperatorStateStore)new FileOperatorStateStore(directory.Path).ForScope("venue-a/acct-1")).Load()!;
        Assert.Equal("venue-a/acct-1", loaded.Scope);
        Assert.Equal(halt, loaded.Halt);
        Assert.Null(process.Load()); // the process's state is untouched
        Assert.Null(((FileOperatorStateStore)process.ForScope("venue-a")).Load());

        process.Save(OperatorState.Empty with { SavedAt = Start });
        Assert.DoesNotContain("scope", File.ReadAllText(process.FilePath)); // written as before scopes existed
    }

    [Fact]
    public void A_process_file_written_before_scopes_existed_is_still_read()
    {
        using var directory = new TempDirectory();
        var store = new FileOperatorStateStore(directory.Path);
        File.WriteAllText(store.FilePath, "{\"version\":1,\"saved_at\":\"2026-11-30T09:00:00+00:00\",\"halt\":{\"operator_id\":\"carol\",\"reason\":\"old\",\"since\":\"2026-11-30T09:00:00+00:00\"}}");
        var loaded = store.Load()!;
        Assert.Equal(string.Empty, loaded.Scope);
        Assert.Equal("carol", loaded.Halt!.OperatorId);
    }

    [Fact]
    public async Task A_scope_file_holding_another_scopes_state_is_unreadable_and_starts_that_scope_halted()
    {
        using var directory = new TempDirectory();
        var process = new FileOperatorStateStore(directory.Path);
        var a = (FileOperatorStateStore)process.ForScope("venue-a");
        var b = (FileOperatorStateStore)process.ForScope("venue-b");
        b.Save(OperatorState.Empty with { SavedAt = Start });
        File.Copy(b.FilePath, a.FilePath); // a file moved by hand
        var error = Assert.Throws<InvalidDataException>(a.Load);
        Assert.Contains("scope 'venue-b', not of scope 'venue-a'", error.Message);

        await using var system = DegradationSystem.Create(null, new FakeTimeProvider(Start), process);
        var venueA = system.Scopes.Add("venue-a");
        Assert.Equal(SystemMode.Halt, system.Gate.For(venueA).Mode);
        Assert.Contains("could not be read", venueA.StateMachine.OperatorHalt!.Reason);
        Assert.False(system.Scopes.Add("venue-b").StateMachine.IsHalted);
    }

    [Theory]
    [InlineData("")]
    [InlineData("venue a")]
    [InlineData("a/b/c/d")]
    [InlineData("a\\b")]
    public void A_bad_scope_path_is_refused(string path)
    {
        using var directory = new TempDirectory();
        var process = new FileOperatorStateStore(directory.Path);
        Assert.ThrowsAny<ArgumentException>(() => process.ForScope(path));
    }
}
