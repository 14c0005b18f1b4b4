using System.Globalization;
using System.Text;

namespace Degradation.Reporting;

/// <summary>
/// Builds the plain-text status report for consoles and logs: the mode, stage, gate permissions,
/// override and recovery run, every component with its conditions, then each registered
/// <see cref="IStatusSection"/> (load, fallbacks, features, alerts, and what other subsystems contribute —
/// breakers, the write buffer ...). ASCII only. A section that throws is shown as unavailable; the report is
/// still built. Thread-safe once configured.
/// </summary>
/// <example>
/// <code>
/// var report = new StatusReportBuilder(system.StateMachine)
///     .Add(new LoadStatusSection(loadMonitor, shedder))
///     .Add(new FallbackStatusSection(quotesChain, ordersChain))
///     .Add("Buffer", () => [$"depth {buffer.Count}"]);
/// Console.WriteLine(report.Build());
/// </code>
/// </example>
public sealed class StatusReportBuilder
{
    private const string Rule = "============================================================";
    private readonly DegradationStateMachine _stateMachine;
    private readonly TimeProvider _time;
    private readonly List<IStatusSection> _sections = [];
    private readonly object _lock = new();

    /// <summary>Creates a builder over <paramref name="stateMachine"/>.</summary>
    /// <param name="stateMachine">Supplies mode, stage, override, recovery run and components.</param>
    /// <param name="timeProvider">Stamps the report; the state machine's clock when null.</param>
    public StatusReportBuilder(DegradationStateMachine stateMachine, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(stateMachine);
        _stateMachine = stateMachine;
        _time = timeProvider ?? stateMachine.TimeProvider;
    }

    /// <summary>The registered sections, in report order.</summary>
    public IReadOnlyList<IStatusSection> Sections { get { lock (_lock) return [.. _sections]; } }

    /// <summary>Appends <paramref name="section"/> to the report.</summary>
    public StatusReportBuilder Add(IStatusSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        lock (_lock) _sections.Add(section);
        return this;
    }

    /// <summary>Appends a section named <paramref name="name"/> whose lines <paramref name="lines"/> supplies each time a report is built.</summary>
    /// <param name="name">The section's heading.</param>
    /// <param name="lines">Called per report; may throw (the section is then shown as unavailable).</param>
    public StatusReportBuilder Add(string name, Func<IEnumerable<string>> lines) => Add(new DelegateStatusSection(name, lines));

    /// <summary>Builds the report now.</summary>
    public string Build()
    {
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder(1024);
        var snapshot = _stateMachine.Gate.Snapshot;
        text.AppendLine(Rule).AppendLine("  DEGRADATION STATUS").AppendLine(Rule);
        text.Append("  Time:      ").AppendLine(_time.GetUtcNow().ToString("yyyy-MM-dd HH:mm:ss.fff 'UTC'", inv));
        text.Append("  Mode:      ").Append(snapshot.Mode.ToString());
        if (snapshot.Stage is { } stage) text.Append(" / ").Append(stage.ToString());
        text.AppendLine();
        text.Append("  Allowed:   ").AppendLine(Describe(Enum.GetValues<ActionType>().Where(snapshot.Allows)));
        text.Append("  Denied:    ").AppendLine(Describe(Enum.GetValues<ActionType>().Where(a => !snapshot.Allows(a))));
        if (_stateMachine.OperatorHalt is { } h)
            text.Append("  Halt:      ").AppendLine(string.Format(inv, "by {0} since {1:HH:mm:ss} UTC ({2})", h.OperatorId, h.Since.UtcDateTime, h.Reason));
        if (_stateMachine.Override is { } o)
            text.Append("  Override:  ").AppendLine(string.Format(inv, "{0} by {1} until {2:HH:mm:ss} UTC ({3})", o.Mode, o.OperatorId, o.ExpiresAt.UtcDateTime, o.Reason));
        if (_stateMachine.ActiveRecoveryRun is { } run)
            text.Append("  Recovery:  ").AppendLine($"{run} ({_stateMachine.ActiveRecoveryTrigger})");
        if (_stateMachine.LastTransition is { } last)
            text.Append("  Last:      ").AppendLine(string.Format(inv, "{0} at {1:HH:mm:ss} UTC", last, last.WallTime.UtcDateTime));

        AppendSection(text, "Components", ComponentLines);
        IStatusSection[] sections;
        lock (_lock) sections = [.. _sections];
        foreach (var section in sections) AppendSection(text, SafeName(section), section.GetLines);
        text.AppendLine(Rule);
        return text.ToString();
    }

    /// <inheritdoc />
    public override string ToString() => Build();

    private IEnumerable<string> ComponentLines()
    {
        var components = _stateMachine.GetComponents().OrderByDescending(c => c.Critical).ThenBy(c => c.Id.Name, StringComparer.Ordinal).ToList();
        if (components.Count == 0) yield return "(none)";
        foreach (var c in components)
        {
            var conditions = c.Conditions.Count == 0 ? "" : " conditions: " + string.Join(", ", c.Conditions.Select(x => $"{x.Reason} -> {x.Mode}"));
            var fallback = c.Fallback is null ? "" : " fallback: " + c.Fallback;
            var lastReport = c.LastReport is { } t ? t.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture) : "never";
            yield return $"{(c.Level == ComponentLevel.Healthy ? "-" : "x")} {c.Id.Name,-16} {(c.Critical ? "critical" : "optional"),-8} {c.Level,-8} last {lastReport}{conditions}{fallback}";
        }
    }

    private static void AppendSection(StringBuilder text, string name, Func<IEnumerable<string>> lines)
    {
        text.AppendLine().Append("  ").AppendLine(name.ToUpperInvariant()).AppendLine("  ----------------------------------------");
        // Materialize first so a section failing half-way does not leave a partial block.
        List<string> body;
        try
        {
            body = [.. lines() ?? []];
        }
        catch (Exception ex)
        {
            body = [$"(section unavailable: {ex.GetType().Name}: {ex.Message})"];
        }
        foreach (var line in body) text.Append("  ").AppendLine(line);
    }

    private static string SafeName(IStatusSection section)
    {
        try
        {
            return string.IsNullOrWhiteSpace(section.Name) ? section.GetType().Name : section.Name;
        }
        catch (Exception)
        {
            return section.GetType().Name;
        }
    }

    private static string Describe(IEnumerable<ActionType> actions)
    {
        var list = string.Join(", ", actions);
        return list.Length == 0 ? "(none)" : list;
    }
}
