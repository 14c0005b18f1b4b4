using Degradation.Storage.File.Format;
using Degradation.Storage.File.Losses;

namespace Degradation.Storage.File.Recovery;

/// <summary>
/// Decides, for the whole log at once, what every unreadable region and every gap in the sequence means.
/// </summary>
/// <remarks>
/// <para>Evidence of acknowledgement: a record's durable-through field says every sequence at or below it was
/// fsync'd before the record was written, and the checkpoint and the loss journal name sequences that existed.
/// Their maximum is the acknowledged point.</para>
/// <para>Torn write: in the newest segment, an unreadable region whose preceding record is at or beyond the
/// acknowledged point lies in the final write group, which nothing proves was ever acknowledged (a completed fsync
/// leaves it intact). It is cut off together with anything behind it; nothing acknowledged is lost.</para>
/// <para>Loss: any other sequence number that should exist and does not — an unreadable region followed by later
/// records, an older segment that ends short (mid-record or exactly at a record boundary: the next segment's name
/// says where it had to end), a missing segment file — is reported with its exact range, unless the loss journal
/// reported that range before (a repair interrupted by a crash, or a gap left by an earlier repair).</para>
/// </remarks>
internal sealed class LogAnalysis
{
    private readonly List<Finding> _findings = [];
    private readonly List<(int Segment, DamagedRegion Region)> _pending = [];
    private long _accounted;

    private LogAnalysis() { }

    /// <summary>A loss or damage to report (before the journal filters out what it already has).</summary>
    internal readonly record struct Finding(int Segment, long Offset, string Problem, long? First, long? Last);

    /// <summary>Findings in log order.</summary>
    public IReadOnlyList<Finding> Findings => _findings;

    /// <summary>The highest sequence number accounted for (kept, reported lost, or proven to have existed).</summary>
    public long LastAccounted { get; private set; }

    /// <summary>The acknowledged point: the highest sequence known to have been durable.</summary>
    public long Acknowledged { get; private set; }

    public static LogAnalysis Run(List<SegmentPlan> plans, long replayedThrough, LossJournal journal)
    {
        var analysis = new LogAnalysis();
        var acknowledged = Math.Max(replayedThrough, journal.MaxReportedSequence);
        foreach (var plan in plans)
            foreach (var record in plan.Scan.Records)
                acknowledged = Math.Max(acknowledged, record.DurableThrough);
        analysis.Acknowledged = acknowledged;
        if (plans.Count > 0 && plans[^1] is { Scan.TornCreation: false } newest) CutTornTail(newest, acknowledged);

        analysis._accounted = plans.Count > 0 ? Math.Min(replayedThrough, plans[0].NameSequence - 1) : replayedThrough;
        for (var s = 0; s < plans.Count; s++) analysis.Walk(s, plans[s]);
        analysis.Close(plans.Count - 1, acknowledged);
        analysis.LastAccounted = analysis._accounted;
        return analysis;
    }

    private static void CutTornTail(SegmentPlan newest, long acknowledged)
    {
        // The first damaged region that follows every acknowledged sequence: what it held was never proven durable.
        var torn = -1;
        var records = newest.Scan.Records;
        for (int d = 0, r = 0; d < newest.Scan.Damage.Count && torn < 0; d++)
        {
            var region = newest.Scan.Damage[d];
            while (r < records.Count && records[r].Offset < region.Offset) r++;
            var before = r > 0 ? records[r - 1].Sequence : newest.NameSequence - 1;
            if (region.Offset >= WalFormat.SegmentHeaderSize && before >= acknowledged) torn = d;
        }
        if (torn < 0) return;
        var at = newest.Scan.Damage[torn].Offset;
        newest.TornAt = at;
        newest.Damage = newest.Scan.Damage.GetRange(0, torn);
        newest.Kept = records.FindAll(r => r.Offset < at);
    }

    private void Walk(int s, SegmentPlan plan)
    {
        // A segment is created only once everything before its first sequence is durable: its name is evidence.
        if (plan.NameSequence - 1 > _accounted)
            Gap(s, 0, plan.NameSequence - 1, $"sequence numbers missing before this segment (the previous segment ends short, at a record boundary or mid-record, or a segment file is missing)");
        if (plan.Scan.TornCreation) return;

        int d = 0, r = 0;
        var damage = plan.Damage;
        var records = plan.Kept;
        while (d < damage.Count || r < records.Count)
        {
            if (d < damage.Count && (r == records.Count || damage[d].Offset < records[r].Offset))
            {
                _pending.Add((s, damage[d++]));
                continue;
            }
            var record = records[r++];
            if (record.Sequence > _accounted + 1)
                Gap(s, record.Offset, record.Sequence - 1, "records missing before this record, with no damaged bytes where they were");
            else
                FlushPendingWithoutLoss();
            _accounted = Math.Max(_accounted, record.Sequence);
        }
    }

    private void Close(int lastSegment, long acknowledged)
    {
        if (acknowledged > _accounted)
            Gap(Math.Max(lastSegment, 0), -1, acknowledged, "acknowledged records missing at the end of the log (the newest segment cut short or removed)");
        FlushPendingWithoutLoss();
    }

    /// <summary>Sequences (_accounted, last] should exist and do not; the first pending damaged region takes them.</summary>
    private void Gap(int segment, long offset, long last, string problem)
    {
        var first = _accounted + 1;
        if (_pending.Count > 0)
        {
            var (s, region) = _pending[0];
            _findings.Add(new Finding(s, region.Offset, region.Problem, first, last));
            _pending.RemoveAt(0);
            FlushPendingWithoutLoss();
        }
        else
        {
            _findings.Add(new Finding(segment, offset, problem, first, last));
        }
        _accounted = last;
    }

    private void FlushPendingWithoutLoss()
    {
        foreach (var (s, region) in _pending) _findings.Add(new Finding(s, region.Offset, region.Problem, null, null));
        _pending.Clear();
    }
}
