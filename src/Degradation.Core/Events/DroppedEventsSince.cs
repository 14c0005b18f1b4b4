namespace Degradation.Events;

/// <summary>The drops recorded after a point, as <see cref="DroppedEventLog.ReadSince"/> returns them.</summary>
/// <param name="Events">The retained drops after that point, oldest first.</param>
/// <param name="NotRetained">Drops after that point that the bounded log no longer holds (counted, not kept).</param>
/// <param name="Total">Every drop ever recorded: pass it to the next <see cref="DroppedEventLog.ReadSince"/>.</param>
public readonly record struct DroppedEventsSince(IReadOnlyList<SystemEvent> Events, long NotRetained, long Total);
