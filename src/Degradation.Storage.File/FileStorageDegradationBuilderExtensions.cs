using Degradation.Composition;
using Degradation.Storage.File;

namespace Degradation;

/// <summary>
/// Plugs the file storage into a degradation system: on a <see cref="DegradationSystemBuilder"/> directly, or on any
/// adapter over it (such as the hosting package's <c>AddGracefulDegradation()</c> builder).
/// </summary>
public static class FileStorageDegradationBuilderExtensions
{
    /// <summary>
    /// Uses the embedded file write-ahead log in <paramref name="directory"/> for the write buffer (opened when the
    /// runtime opens, flushed and closed when it stops). The same data directory also keeps the operator state
    /// (<see cref="FileOperatorStateStore"/>: operator Halts and overrides survive a restart) unless another
    /// operator-state store was chosen before.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="directory">The WAL's directory (created when missing).</param>
    /// <param name="configure">Segment size, record limit, corruption handling.</param>
    /// <exception cref="ArgumentException">The directory or an option is invalid; the message names it.</exception>
    public static TBuilder UseFileWal<TBuilder>(this TBuilder builder, string directory, Action<FileWalStoreOptions>? configure = null)
        where TBuilder : IDegradationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var options = new FileWalStoreOptions { DirectoryPath = directory };
        configure?.Invoke(options);
        options.Validate();
        builder.Configure(system =>
        {
            system.UseWalStore(async (_, cancellationToken) => await FileWalStore.OpenAsync(options, cancellationToken).ConfigureAwait(false));
            if (!system.HasOperatorStateStore) system.UseOperatorStateStore(new FileOperatorStateStore(directory));
        });
        return builder;
    }

    /// <summary>
    /// Keeps operator Halts and overrides in <c>operator-state.json</c> in <paramref name="directory"/>
    /// (<see cref="FileOperatorStateStore"/>, fsynced before a command is acknowledged), so they survive a restart or
    /// a crash. Replaces an earlier choice of operator-state store.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="directory">The directory of the state file (created when missing).</param>
    public static TBuilder UseFileOperatorState<TBuilder>(this TBuilder builder, string directory)
        where TBuilder : IDegradationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        builder.Configure(system => system.UseOperatorStateStore(new FileOperatorStateStore(directory)));
        return builder;
    }
}
