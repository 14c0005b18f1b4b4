using System.Diagnostics.Metrics;
using System.Globalization;

namespace Degradation.Tests.Metrics;

/// <summary>Collects every measurement of one meter (observable instruments on <see cref="Collect"/>).</summary>
internal sealed class MetricsRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<Measured> _measurements = [];
    private readonly List<Instrument> _instruments = [];

    public MetricsRecorder(Meter meter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter != meter) return;
            lock (_instruments) _instruments.Add(instrument);
            listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>(Record);
        _listener.SetMeasurementEventCallback<int>(Record);
        _listener.SetMeasurementEventCallback<double>(Record);
        _listener.Start();
    }

    public IReadOnlyList<Instrument> Instruments { get { lock (_instruments) return [.. _instruments]; } }

    /// <summary>Observes the observable instruments afresh (replacing their earlier readings), then returns everything measured so far.</summary>
    public IReadOnlyList<Measured> Collect()
    {
        lock (_measurements) _measurements.RemoveAll(m => m.Observable);
        _listener.RecordObservableInstruments();
        lock (_measurements) return [.. _measurements];
    }

    public void Clear()
    {
        lock (_measurements) _measurements.Clear();
    }

    /// <summary>Measurements of <paramref name="name"/> whose tags include every one of <paramref name="tags"/>.</summary>
    public IReadOnlyList<Measured> Of(string name, params (string Key, string? Value)[] tags) =>
        [.. Collect().Where(m => m.Name == name && tags.All(t => m.Tags.TryGetValue(t.Key, out var v) && Equals(v, t.Value)))];

    public void Dispose() => _listener.Dispose();

    private void Record<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state) where T : struct
    {
        var measured = new Measured(instrument.Name, instrument.IsObservable, Convert.ToDouble(value, CultureInfo.InvariantCulture), new Dictionary<string, object?>(tags.ToArray()));
        lock (_measurements) _measurements.Add(measured);
    }

    internal sealed record Measured(string Name, bool Observable, double Value, Dictionary<string, object?> Tags);
}
