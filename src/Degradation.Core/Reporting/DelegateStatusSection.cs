namespace Degradation.Reporting;

/// <summary>A status section whose lines come from a delegate (e.g. <c>new DelegateStatusSection("Buffer", () => [$"depth {buffer.Count}"])</c>).</summary>
internal sealed class DelegateStatusSection : IStatusSection
{
    private readonly Func<IEnumerable<string>> _lines;

    /// <summary>Creates the section.</summary>
    public DelegateStatusSection(string name, Func<IEnumerable<string>> lines)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(lines);
        Name = name;
        _lines = lines;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public IEnumerable<string> GetLines() => _lines();
}
