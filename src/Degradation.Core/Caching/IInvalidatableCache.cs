namespace Degradation.Caching;

/// <summary>A cache that recovery can invalidate on reconnect (see <see cref="CacheInvalidationStep"/>).</summary>
public interface IInvalidatableCache
{
    /// <summary>The cache's name, for logs and reports.</summary>
    string Name { get; }

    /// <summary>Drops every entry and refuses values captured before now. Returns how many entries were dropped.</summary>
    int InvalidateAll();
}
