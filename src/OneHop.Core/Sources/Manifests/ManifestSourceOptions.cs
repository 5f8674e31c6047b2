namespace OneHop.Core.Sources.Manifests;

internal sealed record ManifestSourceOptions
{
    /// <summary>Quiet time after a file event before the directory is read, so a burst of writes is read once.</summary>
    public TimeSpan Debounce { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Upper bound on the debounce while events keep arriving.</summary>
    public TimeSpan MaxDebounce { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Rescan interval even without file events: inotify misses some changes (network mounts, overflows).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Largest file read (16 MiB: about 15,000 EndpointSlices). Parsing costs tens of times the file's size in memory,
    /// so a runaway generator or a wrong file in the directory is refused instead of growing the process.
    /// </summary>
    public long MaxFileSize { get; init; } = 16L << 20;
}
