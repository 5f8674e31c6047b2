using Microsoft.Extensions.Logging;
using OneHop.Core.Concurrency;
using OneHop.Core.Configuration;
using OneHop.Core.Diagnostics;
using OneHop.Core.State;

namespace OneHop.Core.Sources.Config;

/// <summary>
/// The config file, watched. A reload with any error is rejected whole and the last good config stays in force;
/// changes to listeners or the admin address are reported as needing a restart.
/// </summary>
internal sealed partial class ConfigFileSource : IConfigSource
{
    private readonly string _path;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _pollInterval;
    private readonly AsyncSignal _fileEvents = new();
    private volatile ConfigSnapshot _current;
    private string? _lastInput;

    /// <param name="initial">The config already loaded and validated at start-up.</param>
    public ConfigFileSource(string path, OneHopConfig initial, TimeProvider time, ILogger<ConfigFileSource> logger, TimeSpan? pollInterval = null)
    {
        _path = Path.GetFullPath(path);
        _time = time;
        _logger = logger;
        _pollInterval = pollInterval ?? TimeSpan.FromSeconds(2);
        _current = new ConfigSnapshot(true, initial, [], time.GetUtcNow());
        _lastInput = TryRead() is { } text ? Input(text, initial) : null;
    }

    public string Name => ConfigLoader.SourceName;

    public ConfigSnapshot Current => _current;

    public async Task RunAsync(Action changed, CancellationToken cancellationToken)
    {
        changed();
        using var watcher = new FileSystemWatcher(Path.GetDirectoryName(_path)!, Path.GetFileName(_path))
        {
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        watcher.Changed += (_, _) => _fileEvents.Set();
        watcher.Created += (_, _) => _fileEvents.Set();
        watcher.Renamed += (_, _) => _fileEvents.Set();
        watcher.EnableRaisingEvents = true;

        while (!cancellationToken.IsCancellationRequested)
        {
            if (await _fileEvents.WaitAsync(_pollInterval, _time, cancellationToken).ConfigureAwait(false))
            {
                // Let a burst of writes (truncate, write, rename) settle before reading.
                while (await _fileEvents.WaitAsync(TimeSpan.FromMilliseconds(100), _time, cancellationToken).ConfigureAwait(false))
                {
                }
            }

            if (Reload())
            {
                changed();
            }
        }
    }

    /// <summary>
    /// Reads the file if it, or a CA bundle it names, changed; true when the config in force or its diagnostics
    /// changed. The bundles are read into the config, so a replaced bundle is a changed config.
    /// </summary>
    public bool Reload()
    {
        var text = TryRead();
        if (text is null || Input(text, _current.Config) == _lastInput)
        {
            return false;
        }

        var previous = _current;
        var result = ConfigLoader.Parse(_path, text);
        _lastInput = Input(text, result.Config ?? previous.Config);
        if (result.Config is null)
        {
            foreach (var error in result.Diagnostics)
            {
                Log.Rejected(_logger, error.ToString());
            }

            var kept = Diagnostic.Warning(DiagnosticCodes.LastGoodKept, "the config file has errors; the last good config stays in force", origin: new ObjectOrigin(Name, _path));
            _current = previous with { Diagnostics = result.Diagnostics.Add(kept) };
            return true;
        }

        var diagnostics = result.Diagnostics;
        if (!result.Config.Listeners.Select(l => l.Binding).SequenceEqual(previous.Config.Listeners.Select(l => l.Binding)) || result.Config.Admin != previous.Config.Admin
            || !result.Config.AdminHosts.SequenceEqual(previous.Config.AdminHosts)
            || result.Config.Limits != previous.Config.Limits || result.Config.Tls.MinimumVersion != previous.Config.Tls.MinimumVersion
            || result.Config.Tls.CipherSuites != previous.Config.Tls.CipherSuites || !Equals(result.Config.Tls.CipherList, previous.Config.Tls.CipherList))
        {
            diagnostics = diagnostics.Add(Diagnostic.Warning(
                DiagnosticCodes.ConfigError,
                "listeners (all but an L4 listener's routes and timeouts), the admin address, limits, the TLS version and cipher suites are set at start-up; restart OneHop to apply their changes",
                origin: new ObjectOrigin(Name, _path),
                field: "listeners"));
        }

        Log.Reloaded(_logger, _path);
        _current = new ConfigSnapshot(true, result.Config, diagnostics, _time.GetUtcNow());
        return true;
    }

    private string? TryRead() => TryRead(_path);

    /// <summary>What a reload depends on: the file's text and the contents of the CA bundles the config names.</summary>
    private static string Input(string text, OneHopConfig config) =>
        string.Join('\0', config.Upstreams.Select(u => u.TlsCaFile).OfType<string>().Select(f => TryRead(f) ?? string.Empty).Prepend(text));

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(301, LogLevel.Error, "Config reload rejected: {Diagnostic}")]
        public static partial void Rejected(ILogger logger, string diagnostic);

        [LoggerMessage(302, LogLevel.Information, "Config reloaded from {Path}")]
        public static partial void Reloaded(ILogger logger, string path);
    }
}
