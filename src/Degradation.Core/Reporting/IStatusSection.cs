namespace Degradation.Reporting;

/// <summary>
/// A part of the text status report contributed by one subsystem (load, fallbacks, breakers, the write buffer ...).
/// <see cref="GetLines"/> is called each time a report is built; it should be quick, and may throw (the
/// report then shows the section as unavailable).
/// </summary>
public interface IStatusSection
{
    /// <summary>The section's heading.</summary>
    string Name { get; }

    /// <summary>The section's lines, without indentation or heading.</summary>
    IEnumerable<string> GetLines();
}
