// Crash-test child. Modes:
//   append <dir> <seed> <segmentBytes> : opens the WAL, prints "READY", then 4 writers append records (1-3 per call,
//                                        0-300 byte payloads) forever, printing "A <sequence> <key>" for every record
//                                        once its append has completed (is durable). The parent kills it with SIGKILL.
//   hold <dir>                         : opens the WAL, prints "READY", holds it until stdin closes.
//   recover <dir> <step>               : opens the WAL (4 KiB segments), printing "C <first> <last>" for every loss
//                                        report delivered, and kills itself (SIGKILL) when the repair reaches its
//                                        <step>-th step; prints "OPENED" if the open got through all of them.
//   halt <dir> / restart <dir>         : the operator-Halt crash test (see OperatorHaltChild).
//   scope-halt <dir> / scope-restart <dir> : the same for one account's Halt (see ScopeHaltChild).
using System.Text;
using Degradation;
using Degradation.Storage.File;

var mode = args[0];
var directory = args[1];
var stdout = Console.OpenStandardOutput();
var outputLock = new object();

void Print(string line)
{
    var bytes = Encoding.ASCII.GetBytes(line + "\n");
    lock (outputLock)
    {
        stdout.Write(bytes);
        stdout.Flush();
    }
}

if (mode == "recover")
{
    var killAt = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
    var steps = 0;
    var recovery = new FileWalStoreOptions
    {
        DirectoryPath = directory,
        SegmentSizeBytes = 4096,
        CorruptionDetected = c => Print($"C {c.FirstLostSequence?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"} {c.LastLostSequence?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}"),
        RecoveryStepReached = step =>
        {
            if (++steps != killAt) return;
            Print("STEP " + step);
            System.Diagnostics.Process.GetCurrentProcess().Kill(); // SIGKILL: nothing after this step runs
        },
    };
    await using (await FileWalStore.OpenAsync(recovery)) Print("OPENED");
    return 0;
}
if (mode is "halt" or "restart") return await OperatorHaltChild.RunAsync(mode, directory, Print);
if (mode is "scope-halt" or "scope-restart") return await ScopeHaltChild.RunAsync(mode, directory, Print);

var options = new FileWalStoreOptions { DirectoryPath = directory };
if (args.Length > 3) options.SegmentSizeBytes = long.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture);
await using var store = await FileWalStore.OpenAsync(options);
Print("READY");

if (mode == "hold")
{
    await Console.In.ReadToEndAsync();
    return 0;
}

var seed = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
{
    var random = new Random(seed * 31 + w);
    for (var i = 0; ; )
    {
        var count = random.Next(10) < 8 ? 1 : random.Next(2, 4);
        var records = new WalRecord[count];
        for (var r = 0; r < count; r++, i++)
        {
            var payload = new byte[random.Next(0, 301)];
            random.NextBytes(payload);
            records[r] = new WalRecord
            {
                IdempotentKey = $"s{seed}-w{w}-{i}",
                ResourceType = "order",
                ResourceId = $"o-{w}",
                Payload = payload,
                CreatedAt = DateTimeOffset.UnixEpoch.AddSeconds(i),
            };
        }
        var sequences = await store.AppendAsync(records);
        for (var r = 0; r < count; r++) Print($"A {sequences[r]} {records[r].IdempotentKey}");
    }
})).ToArray();
await Task.WhenAll(writers);
return 0;
