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
}
