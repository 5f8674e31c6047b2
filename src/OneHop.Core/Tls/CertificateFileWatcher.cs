using Microsoft.Extensions.Logging;
using OneHop.Core.Concurrency;
using OneHop.Core.Configuration;
using OneHop.Core.Routing;

namespace OneHop.Core.Tls;

/// <summary>
/// Keeps certificate files current in the <see cref="CertificateStore"/>: polls their size and time (and their
/// targets, for the symlinks of Secret volumes and cert-manager) and reloads a pair when it changes. A pair that
/// no longer parses is reported and the version in use stays. A snapshot consumer: a reloaded config file hands it
/// its certificate list, read on its own loop, never on the coordinator's build.
/// </summary>
internal sealed partial class CertificateFileWatcher(TlsConfig config, CertificateStore store, TimeProvider time, ILogger<CertificateFileWatcher> logger) : ISnapshotConsumer
{
    private readonly Lock _lock = new();
    private readonly AsyncSignal _configured = new();
    private TlsConfig _config = config;
    private bool _listChanged;
    private readonly Dictionary<CertificateFileConfig, (FileStamp Cert, FileStamp Key, PemCertificate Pem)> _loaded = [];

    public void Apply(PublishedSnapshot published) => Configure(published.Config.Tls);

    /// <summary>Takes the certificate list of a reloaded config file: files added are read, files removed are dropped (on the watcher's loop).</summary>
    public void Configure(TlsConfig next)
    {
        lock (_lock)
        {
            if (next.Certificates.SequenceEqual(_config.Certificates) && next.Default == _config.Default)
            {
                return;
            }

            _config = next;
            _listChanged = true;
        }

        _configured.Set();
    }

    /// <summary>Reads every file now; true when anything changed.</summary>
    public bool Reload()
    {
        lock (_lock)
        {
            return ReloadLocked();
        }
    }

    private bool ReloadLocked()
    {
        var config = _config;
        var changed = _listChanged;
        _listChanged = false;
        foreach (var file in config.Certificates.Append(config.Default).OfType<CertificateFileConfig>())
        {
            try
            {
                var stamps = (FileStamp.Of(file.CertFile), FileStamp.Of(file.KeyFile));
                if (_loaded.TryGetValue(file, out var known) && (known.Cert, known.Key) == stamps)
                {
                    continue;
                }

                var pem = new PemCertificate(file.CertFile, File.ReadAllText(file.CertFile), File.ReadAllText(file.KeyFile), []);
                var (_, error) = CertificateParser.Parse(pem.CertificatePem, pem.KeyPem);
                if (error is not null)
                {
                    Log.Rejected(logger, file.CertFile, error);
                    continue;
                }

                _loaded[file] = (stamps.Item1, stamps.Item2, pem);
                changed = true;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Log.Rejected(logger, file.CertFile, ex.Message);
            }
        }

        if (changed)
        {
            var certificates = config.Certificates.Where(_loaded.ContainsKey).Select(c => _loaded[c].Pem).ToList();
            var fallback = config.Default is { } d && _loaded.TryGetValue(d, out var loaded) ? loaded.Pem : null;
            store.UpdateFiles(certificates, fallback, defaultConfigured: config.Default is not null);
        }

        return changed;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await _configured.WaitAsync(TimeSpan.FromSeconds(2), time, cancellationToken).ConfigureAwait(false);
            Reload();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(801, LogLevel.Error, "Certificate file {File} not loaded: {Error}; the version in use stays")]
        public static partial void Rejected(ILogger logger, string file, string error);
    }
}
