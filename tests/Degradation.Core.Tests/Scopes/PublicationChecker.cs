namespace Degradation.Tests.Scopes;

/// <summary>
/// Replays every publication of a scope tree, in the order the writer makes them, and checks after each single write
/// that no scope's effective gate allows an action that an ancestor (the process gate included) or its own state machine
/// currently forbids. Runs under the tree's writer lock.
/// </summary>
internal sealed class PublicationChecker : IDisposable
{
    private readonly ScopeTree _tree;
    private readonly Dictionary<TradingScope, byte> _effective = [];
    private readonly Dictionary<TradingScope, byte> _own = [];
    private readonly List<string> _violations = [];

    public PublicationChecker(ScopeTree tree)
    {
        _tree = tree;
        foreach (var scope in tree.GetScopes())
        {
            _effective[scope] = scope.Snapshot.AllowedMask;
            _own[scope] = scope.StateMachine.Gate.Snapshot.AllowedMask;
        }
        tree.ObservePublications(OnPublished);
    }

    public long Publications { get; private set; }
    public List<(TradingScope Scope, byte Mask)> EffectivePublications { get; } = [];
    public IReadOnlyList<string> Violations => _violations;

    private void OnPublished(TradingScope scope, bool ownGate, byte mask)
    {
        Publications++;
        if (ownGate) _own[scope] = mask;
        else
        {
            _effective[scope] = mask;
            if (EffectivePublications.Count < 100_000) EffectivePublications.Add((scope, mask));
        }
        foreach (var (s, effective) in _effective)
        {
            for (var ancestor = s; ancestor is not null; ancestor = ancestor.Parent)
            {
                var bound = _own.TryGetValue(ancestor, out var own) ? own : (byte)0xFF;
                if (ancestor != s) bound &= _effective.TryGetValue(ancestor, out var e) ? e : (byte)0xFF;
                if ((effective & ~bound) != 0 && _violations.Count < 20)
                    _violations.Add($"after publication #{Publications} ({scope.DisplayPath}, {(ownGate ? "own" : "effective")} {mask:b6}): "
                        + $"{s.DisplayPath} allows {effective:b6} but {ancestor.DisplayPath} allows only {bound:b6}");
            }
        }
    }

    public void Dispose() => _tree.ObservePublications(null);
}
