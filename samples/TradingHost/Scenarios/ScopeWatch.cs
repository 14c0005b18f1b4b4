using Degradation;
using Degradation.Scopes;

namespace TradingHost.Scenarios;

/// <summary>
/// Scope support for scenarios: adds the venues, accounts and strategies a scenario trades through, waits for each
/// scope's own cold-start recovery to land, records every scope's transitions from then on and compares them with the
/// scenario's expectations (reported like the process's: <c>Mode[/Stage][:reason]</c>, per scope path).
/// </summary>
public sealed class ScopeWatch : IDisposable
{
    private readonly ScenarioContext _context;
    private readonly List<ScopeTransition> _transitions = [];
    private readonly IDisposable _subscription;
    private long _from = long.MaxValue;

    /// <summary>The TTL of the scopes' reports: the sample has no probe per venue, so a report stays valid for the run.</summary>
    public static readonly TimeSpan ReportTtl = TimeSpan.FromDays(1);

    public ScopeWatch(ScenarioContext context)
    {
        _context = context;
        _subscription = context.Env.System.Scopes.SubscribeTransitions(t => { lock (_transitions) _transitions.Add(t); });
    }

    /// <summary>Adds the scopes (a venue owns its broker connection) and waits until each trades; later transitions are recorded.</summary>
    public async Task<bool> AddAsync(CancellationToken cancellationToken, params string[] paths)
    {
        var scopes = _context.Env.System.Scopes;
        foreach (var path in paths) scopes.Add(path, path.Contains('/') ? null : new ScopeOptions().WithCritical(ComponentId.Broker.Name));
        foreach (var scope in scopes.GetScopes().Where(s => !s.IsProcess)) scope.Heartbeat(ComponentId.Broker, ReportTtl);
        var ready = await _context.WaitUntilAsync(() => scopes.GetScopes().All(s => s.IsProcess || s.StateMachine.Mode == SystemMode.Normal),
            "every scope to pass its cold-start recovery", cancellationToken);
        Volatile.Write(ref _from, _context.Env.Time.GetTimestamp());
        _context.Log($"scopes trading: {string.Join(", ", scopes.GetScopes().Where(s => !s.IsProcess).Select(s => s.Path))}");
        return ready;

    }

    public TradingScope this[string path] => _context.Env.Gate.Resolve(path);

    /// <summary>Whether the scope's effective gate allows <paramref name="action"/> now.</summary>
    public bool Allows(string path, ActionType action = ActionType.Send) => _context.Env.Gate.For(this[path]).Allows(action);

    /// <summary>Records an expectation about a scope's effective gate, naming the scope and its effective mode when it fails.</summary>
    public void ExpectGate(string path, bool open, string when)
    {
        var gate = _context.Env.Gate.For(this[path]);
        _context.Expect(gate.Allows(ActionType.Send) == open,
            $"{when}: {path} {(open ? "refused" : "allowed")} sends (effective {ScenarioContext.Describe(gate.Mode, gate.Stage)}, governed by {gate.Snapshot.Governing.DisplayPath})");
    }

    /// <summary>Compares the transitions recorded for each scope with <paramref name="expected"/> (scopes not listed must have none).</summary>
    public async Task CompareAsync(IReadOnlyDictionary<string, string[]> expected, CancellationToken cancellationToken)
    {
        foreach (var scope in _context.Env.System.Scopes.GetScopes()) await scope.StateMachine.FlushObserversAsync(cancellationToken);
        List<ScopeTransition> recorded;
        lock (_transitions) recorded = [.. _transitions.Where(t => !t.Scope.IsProcess && t.Transition.Timestamp >= _from)];
        foreach (var group in recorded.GroupBy(t => t.Scope.Path))
            _context.Result.Notes.Add($"scope {group.Key}: {string.Join(", ", group.Select(t => ScenarioRunner.Format(t.Transition)))}");
        foreach (var path in recorded.Select(t => t.Scope.Path).Concat(expected.Keys).Distinct())
        {
            var actual = recorded.Where(t => t.Scope.Path == path).Select(t => ScenarioRunner.Format(t.Transition)).ToList();
            var wanted = expected.TryGetValue(path, out var list) ? list : [];
            var same = wanted.Length == actual.Count && wanted.Zip(actual).All(p => ScenarioRunner.Matches(p.First, p.Second));
            _context.Expect(same, $"scope {path} transitions differ: expected [{string.Join(", ", wanted)}], got [{string.Join(", ", actual)}]");
        }
    }

    public void Dispose() => _subscription.Dispose();
}
