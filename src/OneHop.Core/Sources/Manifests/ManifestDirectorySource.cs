using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using OneHop.Core.Concurrency;
using OneHop.Core.Configuration;
using OneHop.Core.Diagnostics;
using OneHop.Core.State;

namespace OneHop.Core.Sources.Manifests;

/// <summary>
/// A directory of Kubernetes manifests as a source: every <c>*.yaml</c>, <c>*.yml</c> and <c>*.json</c> file in it,
/// re-read when files change (inotify, plus a slow poll as a safety net). A file that breaks keeps its last good
/// version; a directory that disappears keeps everything.
/// </summary>
internal sealed partial class ManifestDirectorySource : IObjectSource
{
    private readonly string _directory;
    private readonly ManifestSourceOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly AsyncSignal _fileEvents = new();
    private readonly object _scanLock = new();
    private ImmutableSortedDictionary<string, ManifestFile> _files = ImmutableSortedDictionary.Create<string, ManifestFile>(StringComparer.Ordinal);
    private volatile SourceSnapshot _current = SourceSnapshot.NotSynced;
    private bool _lastScanHadErrors;
    private long _bytesChanged;
    private readonly DeferredCollection _collection;

    /// <summary>Bytes read, replaced or removed in one scan above which memory is handed back to the system afterwards.</summary>
    private const long LargeChange = 4L << 20;

    public ManifestDirectorySource(string directory, ManifestSourceOptions options, TimeProvider time, ILogger<ManifestDirectorySource> logger)
    {
        _directory = Path.GetFullPath(directory);
        _options = options;
        _time = time;
        _logger = logger;
        _collection = new DeferredCollection(time, TimeSpan.FromSeconds(5));
    }

    public string Name => ManifestParser.SourceName;

    public string Directory => _directory;

    public SourceSnapshot Current => _current;

    public async Task RunAsync(Action changed, CancellationToken cancellationToken)
    {
        Rescan();
        changed();

        using var watcher = StartWatcher();
        while (!cancellationToken.IsCancellationRequested)
        {
            var woken = await _fileEvents.WaitAsync(_options.PollInterval, _time, cancellationToken).ConfigureAwait(false);
            if (woken)
            {
                await DebounceAsync(cancellationToken).ConfigureAwait(false);
            }

            if (Rescan())
            {
                changed();
            }
        }
    }

    /// <summary>Reads the directory now; true when what it contributes changed.</summary>
    public bool Rescan()
    {
        lock (_scanLock)
        {
            var before = _files;
            var diagnostics = ImmutableArray.CreateBuilder<Diagnostic>();
            if (!System.IO.Directory.Exists(_directory))
            {
                diagnostics.Add(Diagnostic.Error(
                    DiagnosticCodes.FileUnreadable,
                    $"manifest directory {_directory} does not exist; the last good objects stay in place",
                    origin: new ObjectOrigin(Name)));
                return Publish(before, diagnostics);
            }

            _bytesChanged = 0;
            var files = ScanFiles(before, diagnostics);
            if (_bytesChanged >= LargeChange)
            {
                _collection.Request();
            }

            if (_current.Synced && diagnostics.Count == 0 && !_lastScanHadErrors && files.SequenceEqual(before))
            {
                return false;
            }

            _files = files;
            _lastScanHadErrors = diagnostics.Count > 0;
            return Publish(files, diagnostics);
        }
    }

    private ImmutableSortedDictionary<string, ManifestFile> ScanFiles(
        ImmutableSortedDictionary<string, ManifestFile> before,
        ImmutableArray<Diagnostic>.Builder diagnostics)
    {
        var next = before.ToBuilder();
        var present = new HashSet<string>(StringComparer.Ordinal);
        IEnumerable<string> paths;
        try
        {
            paths = System.IO.Directory.EnumerateFiles(_directory).Where(ManifestParser.IsManifestFile).ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.FileUnreadable, $"cannot list {_directory}: {ex.Message}", origin: new ObjectOrigin(Name)));
            return before;
        }

        foreach (var path in paths)
        {
            var name = Path.GetRelativePath(_directory, path);
            present.Add(name);
            before.TryGetValue(name, out var previous);
            try
            {
                var stamp = FileStamp.Of(path);
                if (previous is not null && previous.Stamp == stamp)
                {
                    continue;
                }

                if (Math.Max(stamp.Length, stamp.TargetLength) is var size && size > _options.MaxFileSize)
                {
                    next[name] = TooLarge(name, stamp, size, previous);
                    continue;
                }

                var content = File.ReadAllText(path);
                if (FileStamp.Of(path) != stamp)
                {
                    // Written while it was read: the text may be any prefix of the new version. The file keeps what
                    // it had, and the next scan (woken now, after the debounce) reads it once the writer is done.
                    _fileEvents.Set();
                    continue;
                }

                _bytesChanged += content.Length + (previous?.Stamp.Length ?? 0);
                var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(content)));
                if (previous is not null && previous.ContentHash == hash)
                {
                    next[name] = previous with { Stamp = stamp };
                    continue;
                }

                next[name] = Load(name, stamp, hash, content, previous);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A file mid-replace can vanish between listing and reading; the next event or poll reads it again.
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.FileUnreadable, $"cannot read: {ex.Message}", origin: new ObjectOrigin(Name, name)));
            }
        }

        foreach (var gone in before.Keys.Where(k => !present.Contains(k)))
        {
            _bytesChanged += before[gone].Stamp.Length;
            Log.FileRemoved(_logger, gone);
            next.Remove(gone);
        }

        return next.ToImmutable();
    }

    private ManifestFile TooLarge(string name, FileStamp stamp, long size, ManifestFile? previous)
    {
        var error = Diagnostic.Error(
            DiagnosticCodes.TooLarge,
            $"{size / 1048576.0:0.0} MiB is more than the {_options.MaxFileSize / 1048576.0:0.0} MiB OneHop reads from one manifest file; split it into several files",
            origin: new ObjectOrigin(Name, name));
        Log.FileRejected(_logger, error.ToString());
        return new ManifestFile(stamp, string.Empty, new ManifestParseResult([], [], [error]), previous?.LastGood, previous?.LastGoodAt ?? default);
    }

    private ManifestFile Load(string name, FileStamp stamp, string hash, string content, ManifestFile? previous)
    {
        if (string.IsNullOrWhiteSpace(content) && previous?.LastGood is { Length: > 0 })
        {
            return Emptied(name, stamp, hash, previous);
        }

        var parse = ManifestParser.Parse(name, content);
        foreach (var skipped in parse.Skipped)
        {
            Log.SkippedDocument(_logger, skipped.ApiVersion, skipped.Kind, skipped.Name ?? "(unnamed)", skipped.Origin.ToString());
        }

        if (parse.Failed)
        {
            foreach (var error in parse.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error))
            {
                Log.FileRejected(_logger, error.ToString());
            }

            return new ManifestFile(stamp, hash, parse, previous?.LastGood, previous?.LastGoodAt ?? default);
        }

        Log.FileLoaded(_logger, name, parse.Objects.Length);
        return new ManifestFile(stamp, hash, parse, parse.Objects, _time.GetUtcNow());
    }

    /// <summary>
    /// A file that held objects and is now empty is most often one being rewritten in place (truncated, then
    /// written: an editor's or <c>File.WriteAllText</c>'s save, read between the two). Withdrawing its objects would
    /// answer 503 for that moment, so an empty file is an error that keeps its last good version; deleting the file
    /// is how its objects are withdrawn.
    /// </summary>
    private ManifestFile Emptied(string name, FileStamp stamp, string hash, ManifestFile previous)
    {
        var error = Diagnostic.Error(
            DiagnosticCodes.FileEmptied,
            "the file is empty (being rewritten, or emptied by hand); delete the file to withdraw its objects",
            origin: new ObjectOrigin(Name, name));
        Log.FileRejected(_logger, error.ToString());
        return new ManifestFile(stamp, hash, new ManifestParseResult([], [], [error]), previous.LastGood, previous.LastGoodAt);
    }

    private bool Publish(ImmutableSortedDictionary<string, ManifestFile> files, ImmutableArray<Diagnostic>.Builder diagnostics)
    {
        var builder = new ClusterStateBuilder(new ObjectOrigin(Name));
        foreach (var (name, file) in files)
        {
            diagnostics.AddRange(file.Parse.Diagnostics);
            if (file.Parse.Failed && file.LastGood is not null)
            {
                diagnostics.Add(Diagnostic.Warning(
                    DiagnosticCodes.LastGoodKept,
                    $"{name} has errors; its last good version (read {file.LastGoodAt:u}) stays in place",
                    origin: new ObjectOrigin(Name, name)));
            }

            foreach (var parsed in file.Objects)
            {
                builder.Add(parsed.Object, parsed.Origin);
            }
        }

        diagnostics.AddRange(builder.Diagnostics);
        var previous = _current;
        var state = builder.Build();
        var next = new SourceSnapshot(true, state, diagnostics.ToImmutable(), _time.GetUtcNow());
        var changed = !previous.Synced || !next.Diagnostics.SequenceEqual(previous.Diagnostics) || !SameObjects(previous.State, state);
        if (changed)
        {
            _current = next;
        }

        return changed;
    }

    /// <summary>
    /// Every kind of the registry holds the same objects (by reference: a file that did not change keeps its objects).
    /// Driven by the registry, so a new kind can never be left out and its edits go unnoticed.
    /// </summary>
    private static bool SameObjects(ClusterState a, ClusterState b) =>
        a.Count == b.Count
        && KindRegistry.All.All(kind => kind.Accept(new SameSlot(a, b)))
        && a.Origins.Count == b.Origins.Count && a.Origins.All(p => b.Origins.TryGetValue(p.Key, out var o) && o == p.Value);

    private sealed class SameSlot(ClusterState a, ClusterState b) : IKindVisitor<bool>
    {
        public bool Visit<T>(KubeKind<T> kind)
            where T : class, k8s.IKubernetesObject<k8s.Models.V1ObjectMeta>
        {
            var (x, y) = (a.Of(kind), b.Of(kind));
            return x.Count == y.Count && x.All(p => y.TryGetValue(p.Key, out var o) && ReferenceEquals(o, p.Value));
        }
    }

    private FileSystemWatcher? StartWatcher()
    {
        if (!System.IO.Directory.Exists(_directory))
        {
            return null;
        }

        var watcher = new FileSystemWatcher(_directory)
        {
            IncludeSubdirectories = false,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        FileSystemEventHandler onChange = (_, _) => _fileEvents.Set();
        watcher.Changed += onChange;
        watcher.Created += onChange;
        watcher.Deleted += onChange;
        watcher.Renamed += (_, _) => _fileEvents.Set();
        watcher.Error += (_, _) => _fileEvents.Set();
        watcher.EnableRaisingEvents = true;
        return watcher;
    }

    private async Task DebounceAsync(CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + _options.MaxDebounce;
        while (_time.GetUtcNow() < deadline
            && await _fileEvents.WaitAsync(_options.Debounce, _time, cancellationToken).ConfigureAwait(false))
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(501, LogLevel.Debug, "Skipped {ApiVersion} {Kind} {Name} in {Origin}: not a kind OneHop reads")]
        public static partial void SkippedDocument(ILogger logger, string apiVersion, string kind, string name, string origin);

        [LoggerMessage(502, LogLevel.Information, "Loaded {File}: {Count} objects")]
        public static partial void FileLoaded(ILogger logger, string file, int count);

        [LoggerMessage(503, LogLevel.Error, "Manifest rejected: {Diagnostic}")]
        public static partial void FileRejected(ILogger logger, string diagnostic);

        [LoggerMessage(504, LogLevel.Information, "Removed {File}: its objects are withdrawn")]
        public static partial void FileRemoved(ILogger logger, string file);
    }
}
