namespace Degradation.Probes;

/// <summary>What the probe runner published after a round (events are verdicts, rule 3 in docs/RULES.md).</summary>
public enum ProbeVerdict : byte
{
    /// <summary>Nothing changed: a heartbeat keeps the component's status fresh (rule 9 in docs/RULES.md).</summary>
    Heartbeat = 0,
    /// <summary>The failure threshold was reached: a failure event was published.</summary>
    Failure = 1,
    /// <summary>The quality threshold was reached: a <see cref="EventType.QualityDegraded"/> event was published.</summary>
    QualityDegraded = 2,
    /// <summary>The component was stable for <see cref="RecoveryOptions.StablePeriod"/>: a <see cref="EventType.Recovered"/> event was published.</summary>
    Recovered = 3,
}
