namespace Degradation.Caching;

/// <summary>One cache invalidated by a <see cref="CacheInvalidationStep"/>.</summary>
/// <param name="Cache">The cache's name.</param>
/// <param name="EntriesDropped">How many entries it dropped.</param>
public readonly record struct CacheInvalidation(string Cache, int EntriesDropped);
