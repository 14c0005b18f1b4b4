namespace Degradation.Composition;

/// <summary>
/// Something that composes a degradation system: the <see cref="DegradationSystemBuilder"/> itself, or an adapter over
/// it (such as the hosting package's builder, which applies the steps when the container builds the system). Storage
/// and integration packages write their <c>Use…</c> extensions against this interface, so one extension serves both
/// without the package depending on a DI container.
/// </summary>
public interface IDegradationBuilder
{
    /// <summary>
    /// Adds a configuration step for the <see cref="DegradationSystemBuilder"/> that composes the system. A
    /// <see cref="DegradationSystemBuilder"/> runs it at once; an adapter runs its steps in the order they were added,
    /// when it builds the system.
    /// </summary>
    /// <param name="configure">The step.</param>
    /// <returns>This builder, for chaining.</returns>
    IDegradationBuilder Configure(Action<DegradationSystemBuilder> configure);
}
