using System.Globalization;

namespace Degradation.Load;

/// <summary>
/// Thresholds and behaviour of the <see cref="LoadLevelMonitor"/>. Defaults: lag
/// 100K / 500K / 1M / 5M messages, heap 70 / 80 / 90 / 95 %, recovery below lag ×0.5 and heap ×0.9 of the
/// level's trigger, and a 30 s cooldown after any level change before the level may step down.
/// A level is entered when lag or heap reaches its trigger (<c>&gt;=</c>).
/// </summary>
public sealed class LoadDegradationOptions
{
    /// <summary>Lag (messages) that enters <see cref="LoadLevel.Soft"/>.</summary>
    public long LagSoft { get; set; } = 100_000;
    /// <summary>Lag (messages) that enters <see cref="LoadLevel.Graceful"/>.</summary>
    public long LagGraceful { get; set; } = 500_000;
    /// <summary>Lag (messages) that enters <see cref="LoadLevel.Aggressive"/>.</summary>
    public long LagAggressive { get; set; } = 1_000_000;
    /// <summary>Lag (messages) that enters <see cref="LoadLevel.CircuitBreak"/>.</summary>
    public long LagCircuitBreak { get; set; } = 5_000_000;

    /// <summary>Heap load (percent) that enters <see cref="LoadLevel.Soft"/>.</summary>
    public double HeapSoftPercent { get; set; } = 70;
    /// <summary>Heap load (percent) that enters <see cref="LoadLevel.Graceful"/>.</summary>
    public double HeapGracefulPercent { get; set; } = 80;
    /// <summary>Heap load (percent) that enters <see cref="LoadLevel.Aggressive"/>.</summary>
    public double HeapAggressivePercent { get; set; } = 90;
    /// <summary>Heap load (percent) that enters <see cref="LoadLevel.CircuitBreak"/>.</summary>
    public double HeapCircuitBreakPercent { get; set; } = 95;

    /// <summary>A level may be left only when lag is below its lag trigger times this factor (hysteresis).</summary>
    public double RecoveryLagFactor { get; set; } = 0.5;
    /// <summary>A level may be left only when heap load is below its heap trigger times this factor (hysteresis).</summary>
    public double RecoveryHeapFactor { get; set; } = 0.9;
    /// <summary>Time after any level change during which the level may not step down. Escalation is never delayed.</summary>
    public TimeSpan RecoveryCooldown { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many level changes the history keeps.</summary>
    public int HistorySize { get; set; } = 100;

    /// <summary>What "heap load" means when the caller does not pass it.</summary>
    public HeapLoadMeasure HeapMeasure { get; set; } = HeapLoadMeasure.MemoryLoad;

    /// <summary>Symbols still processed at <see cref="LoadLevel.Graceful"/> and above (see <see cref="LoadLevelMonitor.ShouldProcessSymbol"/>). Empty by default: configure yours.</summary>
    public HashSet<string> CriticalSymbols { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Report levels to the state machine through the event bus, when the monitor has one.</summary>
    public bool ReportToStateMachine { get; set; } = true;

    /// <summary>The component the monitor reports as.</summary>
    public string ComponentName { get; set; } = "load";

    /// <summary>
    /// Levels that the state machine sees as a failure of <see cref="ComponentName"/>, with the reason code each
    /// reports (as a <see cref="EventType.FailSupport"/> event; a level without an entry reads as healthy and
    /// reports <see cref="EventType.Recovered"/>). Map the reasons to modes in
    /// <see cref="DegradationOptions.DecisionMatrix"/>; an unmapped reason degrades to <see cref="SystemMode.Degraded"/>.
    /// Default: only <see cref="LoadLevel.CircuitBreak"/>, as <c>load.circuit_break</c>.
    /// </summary>
    public Dictionary<LoadLevel, string> StateMachineReasons { get; set; } = new()
    {
        [LoadLevel.CircuitBreak] = LoadReasons.CircuitBreak.Value,
    };

    /// <summary>Checks every value and returns one message per invalid option (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        var lags = new[] { (nameof(LagSoft), LagSoft), (nameof(LagGraceful), LagGraceful), (nameof(LagAggressive), LagAggressive), (nameof(LagCircuitBreak), LagCircuitBreak) };
        foreach (var (name, value) in lags)
            if (value <= 0) errors.Add($"{name} must be > 0 (was {value.ToString(CultureInfo.InvariantCulture)}).");
        for (var i = 1; i < lags.Length; i++)
            if (lags[i].Item2 <= lags[i - 1].Item2 && lags[i].Item2 > 0)
                errors.Add($"{lags[i].Item1} ({lags[i].Item2.ToString(CultureInfo.InvariantCulture)}) must be above {lags[i - 1].Item1} ({lags[i - 1].Item2.ToString(CultureInfo.InvariantCulture)}).");

        var heaps = new[] { (nameof(HeapSoftPercent), HeapSoftPercent), (nameof(HeapGracefulPercent), HeapGracefulPercent), (nameof(HeapAggressivePercent), HeapAggressivePercent), (nameof(HeapCircuitBreakPercent), HeapCircuitBreakPercent) };
        foreach (var (name, value) in heaps)
            if (!(value > 0 && value <= 100)) errors.Add($"{name} must be in (0, 100] (was {Format(value)}).");
        for (var i = 1; i < heaps.Length; i++)
            if (heaps[i].Item2 <= heaps[i - 1].Item2 && heaps[i].Item2 > 0)
                errors.Add($"{heaps[i].Item1} ({Format(heaps[i].Item2)}) must be above {heaps[i - 1].Item1} ({Format(heaps[i - 1].Item2)}).");

        if (!(RecoveryLagFactor > 0 && RecoveryLagFactor <= 1)) errors.Add($"{nameof(RecoveryLagFactor)} must be in (0, 1] (was {Format(RecoveryLagFactor)}).");
        if (!(RecoveryHeapFactor > 0 && RecoveryHeapFactor <= 1)) errors.Add($"{nameof(RecoveryHeapFactor)} must be in (0, 1] (was {Format(RecoveryHeapFactor)}).");
        if (ValidDurationAttribute.Check(RecoveryCooldown, allowZero: true) is { } cooldown) errors.Add($"{nameof(RecoveryCooldown)} {cooldown}");
        if (HistorySize <= 0) errors.Add($"{nameof(HistorySize)} must be > 0 (was {HistorySize.ToString(CultureInfo.InvariantCulture)}).");
        if (!Enum.IsDefined(HeapMeasure)) errors.Add($"{nameof(HeapMeasure)} has unknown value '{((int)HeapMeasure).ToString(CultureInfo.InvariantCulture)}'.");
        if (CriticalSymbols is null) errors.Add($"{nameof(CriticalSymbols)} must not be null.");
        else if (CriticalSymbols.Any(string.IsNullOrWhiteSpace)) errors.Add($"{nameof(CriticalSymbols)} has an empty symbol.");
        if (string.IsNullOrWhiteSpace(ComponentName)) errors.Add($"{nameof(ComponentName)} must not be empty (was '{ComponentName}').");
        foreach (var (level, reason) in StateMachineReasons ?? [])
        {
            if (!Enum.IsDefined(level)) errors.Add($"{nameof(StateMachineReasons)} has unknown level '{((int)level).ToString(CultureInfo.InvariantCulture)}'.");
            else if (level == LoadLevel.Normal) errors.Add($"{nameof(StateMachineReasons)}:{level} is not allowed: Normal cannot be a failure.");
            if (string.IsNullOrWhiteSpace(reason)) errors.Add($"{nameof(StateMachineReasons)}:{level} has an empty reason code.");
        }
        return errors;
    }

    /// <summary>Throws <see cref="DegradationOptionsException"/> naming every invalid option.</summary>
    public void ValidateAndThrow()
    {
        var errors = Validate();
        if (errors.Count > 0) throw new DegradationOptionsException(errors);
    }

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
