using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;
using OneHop.Core.Configuration;
using OneHop.Core.Routing;

namespace OneHop.Core.Tls;

/// <summary>
/// What every TLS handshake uses, rebuilt whenever the snapshot (Ingress TLS Secrets, host policies) or the
/// certificate files change, and swapped atomically: the next handshake sees the new certificate, established
/// connections keep theirs. SNI picks: exact names, then one-label wildcards, then the default certificate. Parsed
/// certificate contexts are cached by content, so a rotation costs one parse and unchanged certificates none.
/// </summary>
internal sealed partial class CertificateStore : ISnapshotConsumer
{
    private static readonly List<SslApplicationProtocol> Alpn = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11];

    private readonly TlsOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly ConcurrentDictionary<string, SslStreamCertificateContext> _contexts = new(StringComparer.Ordinal);
    private readonly CipherSuitesPolicy? _ciphers;

    // ingress-nginx's ssl-ciphers, over the config file's: built once per list, kept while the snapshots keep it.
    private TlsCipherSuiteList? _snapshotCipherList;
    private CipherSuitesPolicy? _snapshotCiphers;
    private readonly PemCertificate _builtIn;
    private PemCertificate _default;
    private IReadOnlyList<PemCertificate> _files = [];
    private RoutingSnapshot _snapshot = RoutingSnapshot.Empty;
    private volatile CertificateSet _current;

    public CertificateStore(TlsOptions options, PemCertificate defaultCertificate, ILogger<CertificateStore> logger, TimeProvider? time = null)
    {
        _options = options;
        ClientCertificates = new ClientCertificateVerifier(time ?? TimeProvider.System);

        // No policy by default: .NET on Linux reuses its OpenSSL context (session cache, ticket keys) across handshakes
        // only without one, and resumption cut a full handshake's CPU by about a third (614 -> 435 µs, bench/PROFILE.md).
        _ciphers = !OperatingSystem.IsLinux() ? null
            : options.CipherSuites == TlsCipherSuites.Modern ? ModernCiphers()
            : options.CipherList is { } listed ? new CipherSuitesPolicy(listed.Suites)
            : null;
        _default = defaultCertificate;
        _builtIn = defaultCertificate;
        _logger = logger;
        _current = Build();
    }

    public CertificateSet Current => _current;

    /// <summary>Verifies client certificates at handshakes and requests, and remembers the results.</summary>
    public ClientCertificateVerifier ClientCertificates { get; }

    /// <summary>For Kestrel: the server options for a handshake, chosen by the client's SNI.</summary>
    public ValueTask<SslServerAuthenticationOptions> OnConnectionAsync(TlsHandshakeCallbackContext context) =>
        ValueTask.FromResult(_current.Select(context.ClientHelloInfo.ServerName, (context.Connection.LocalEndPoint as System.Net.IPEndPoint)?.Port ?? 0));

    public void Apply(PublishedSnapshot published) => Update(published.Snapshot);

    public void Update(RoutingSnapshot snapshot)
    {
        if (ReferenceEquals(snapshot, _snapshot))
        {
            return;
        }

        lock (_lock)
        {
            _snapshot = snapshot;
            _current = Build();
        }
    }

    /// <summary>
    /// Replaces the certificates from files, and the default one: the file's when it loaded, the one in use when the
    /// configured file did not load (a broken file loses nothing), the built-in one when none is configured any more.
    /// </summary>
    public void UpdateFiles(IReadOnlyList<PemCertificate> files, PemCertificate? defaultCertificate, bool defaultConfigured = true)
    {
        lock (_lock)
        {
            _files = files;
            if (defaultCertificate is not null)
            {
                _default = defaultCertificate;
            }
            else if (!defaultConfigured)
            {
                _default = _builtIn;
            }

            _current = Build();
        }
    }

    private CertificateSet Build()
    {
        if (!Equals(_snapshot.ServerCipherSuites, _snapshotCipherList))
        {
            var listed = _snapshot.ServerCipherSuites;
            _snapshotCiphers = listed is not null && OperatingSystem.IsLinux() ? new CipherSuitesPolicy(listed.Suites) : null;
            _snapshotCipherList = listed;
        }

        var clientCas = new Dictionary<string, ClientCa>(StringComparer.OrdinalIgnoreCase);
        foreach (var policy in _snapshot.HostPolicies.Where(p => p.ClientCaPem is not null))
        {
            clientCas[policy.Host] = new ClientCa(policy.ClientCaPem!, policy.ClientCaDepth) { CompletesHandshake = policy.ClientCheckedAtRequest };
        }

        var exact = new Dictionary<string, SslServerAuthenticationOptions>(StringComparer.OrdinalIgnoreCase);
        var wildcard = new Dictionary<string, SslServerAuthenticationOptions>(StringComparer.OrdinalIgnoreCase);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var served = new List<ServedCertificate>();
        var byId = new Dictionary<string, SslStreamCertificateContext>(StringComparer.Ordinal);

        // Ingress certificates first: the hosts they name are the operator's explicit choice; file certificates
        // then fill the hosts their own names cover. A snapshot certificate without hosts (a Gateway port's default)
        // takes none by its names.
        var candidates = _snapshot.Certificates.Select(c => (Pem: new PemCertificate(c.Id, c.CertificatePem, c.KeyPem, c.Hosts), Snapshot: true))
            .Concat(_files.Select(f => (Pem: f, Snapshot: false)));
        foreach (var (pem, fromSnapshot) in candidates)
        {
            var context = Context(pem);
            if (context is null)
            {
                continue;
            }

            used.Add(Key(pem));
            if (fromSnapshot)
            {
                byId[pem.Id] = context;
            }

            var hosts = pem.Hosts.Count > 0 || fromSnapshot ? pem.Hosts : DnsNames(context.TargetCertificate);
            var servedHosts = new List<string>();
            foreach (var host in hosts)
            {
                var options = Options(context, clientCas.GetValueOrDefault(host));
                if (host.StartsWith("*.", StringComparison.Ordinal) ? wildcard.TryAdd(host[2..], options) : exact.TryAdd(host, options))
                {
                    servedHosts.Add(host);
                }
            }

            served.Add(Served(pem.Id, context, servedHosts, isDefault: false));
        }

        var fallback = Context(_default) ?? throw new InvalidOperationException("the default certificate cannot be loaded");
        used.Add(Key(_default));
        foreach (var key in _contexts.Keys.Where(k => !used.Contains(k)))
        {
            _contexts.TryRemove(key, out _);
        }

        // A host that requires client certificates but has no certificate of its own (served by a wildcard or the
        // default one) still needs a handshake that asks for them, or every request would end in 403.
        foreach (var (host, bundle) in clientCas)
        {
            if (host.StartsWith("*.", StringComparison.Ordinal))
            {
                var suffix = host[2..];
                wildcard[suffix] = Options(wildcard.TryGetValue(suffix, out var own) ? own.ServerCertificateContext! : fallback, bundle);
            }
            else if (!exact.ContainsKey(host))
            {
                var suffix = HostRules.WildcardSuffix(host).ToString();
                var context = suffix.Length > 0 && wildcard.TryGetValue(suffix, out var covering) ? covering.ServerCertificateContext! : fallback;
                exact[host] = Options(context, bundle);
            }
        }

        served.Add(Served(ReferenceEquals(_default, _builtIn) ? "built-in" : _default.Id, fallback, [], isDefault: true));
        return new CertificateSet(exact, wildcard, Options(fallback, null), clientCas, served)
        {
            Ports = PortSets(exact, wildcard, fallback, byId, clientCas, served),
            RejectsUnknownNames = _snapshot.RejectUnknownServerNames,
            Streams = byId.ToDictionary(p => p.Key, p => Options(p.Value, null, alpn: false), StringComparer.Ordinal),
            StreamFallback = Options(fallback, null, alpn: false),
        };
    }

    /// <summary>
    /// The Gateway ports with handshakes of their own. One that validates client certificates (<c>spec.tls.frontend</c>):
    /// the same certificates by SNI, with handshakes that ask for a client certificate chaining to the port's CA bundle: a
    /// connection to the port is validated once, whatever hosts it then serves (a host's own client CA is still checked
    /// per request). One with a listener without hostname: that listener's certificate for the names no host's covers.
    /// </summary>
    private Dictionary<int, CertificateSet> PortSets(
        Dictionary<string, SslServerAuthenticationOptions> exact,
        Dictionary<string, SslServerAuthenticationOptions> wildcard,
        SslStreamCertificateContext fallback,
        Dictionary<string, SslStreamCertificateContext> byId,
        Dictionary<string, ClientCa> clientCas,
        List<ServedCertificate> served)
    {
        var sets = new Dictionary<int, CertificateSet>();
        foreach (var port in _snapshot.GatewayPorts)
        {
            var portFallback = port.DefaultCertificate is { } id && byId.TryGetValue(id, out var own) ? own : fallback;
            if (port.Frontend is not { } frontend)
            {
                if (!ReferenceEquals(portFallback, fallback))
                {
                    sets[port.Port] = new CertificateSet(exact, wildcard, Options(portFallback, null), clientCas, served);
                }

                continue;
            }

            var bundle = new ClientCa(frontend.CaPem, null);
            var portExact = exact.ToDictionary(p => p.Key, p => Options(p.Value.ServerCertificateContext!, bundle, frontend.InsecureFallback), StringComparer.OrdinalIgnoreCase);
            var portWildcard = wildcard.ToDictionary(p => p.Key, p => Options(p.Value.ServerCertificateContext!, bundle, frontend.InsecureFallback), StringComparer.OrdinalIgnoreCase);
            sets[port.Port] = new CertificateSet(portExact, portWildcard, Options(portFallback, bundle, frontend.InsecureFallback), clientCas, served);
        }

        return sets;
    }

    private static ServedCertificate Served(string id, SslStreamCertificateContext context, IReadOnlyList<string> hosts, bool isDefault) =>
        new(id, context.TargetCertificate.Subject, new DateTimeOffset(context.TargetCertificate.NotAfter.ToUniversalTime()), hosts, isDefault);

    private SslStreamCertificateContext? Context(PemCertificate pem) =>
        _contexts.TryGetValue(Key(pem), out var cached) ? cached : Load(pem);

    private SslStreamCertificateContext? Load(PemCertificate pem)
    {
        try
        {
            var leaf = X509Certificate2.CreateFromPem(pem.CertificatePem, pem.KeyPem);
            var all = new X509Certificate2Collection();
            all.ImportFromPem(pem.CertificatePem);
            var chain = new X509Certificate2Collection();
            foreach (var certificate in all)
            {
                if (certificate.Thumbprint != leaf.Thumbprint)
                {
                    chain.Add(certificate);
                }
            }

            // Online only for OCSP stapling, and only for a chain complete without the network: .NET then fetches and refreshes
            // the OCSP answer in the background (Linux), but it needs the chain's root to, and online it would download a
            // missing issuer here, synchronously, with the store's lock held.
            var staples = _snapshot.OcspStapling && ReachesRoot(leaf, chain);
            if (_snapshot.OcspStapling && !staples)
            {
                Log.NotStapled(_logger, pem.Id, leaf.Subject);
            }

            var context = SslStreamCertificateContext.Create(leaf, chain, offline: !staples);
            _contexts[Key(pem)] = context;
            Log.Loaded(_logger, pem.Id, leaf.Subject, leaf.NotAfter);
            return context;
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            Log.Unusable(_logger, pem.Id, ex.Message);
            return null;
        }
    }

    /// <summary>Whether the chain of <paramref name="leaf"/> ends at a root from <paramref name="chain"/> or the system's store, nothing downloaded.</summary>
    private static bool ReachesRoot(X509Certificate2 leaf, X509Certificate2Collection chain)
    {
        using var built = new X509Chain();
        built.ChainPolicy.ExtraStore.AddRange(chain);
        built.ChainPolicy.DisableCertificateDownloads = true;
        built.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        built.ChainPolicy.VerificationFlags = X509VerificationFlags.AllFlags;
        built.Build(leaf);
        var complete = !built.ChainStatus.Any(s => s.Status.HasFlag(X509ChainStatusFlags.PartialChain));
        foreach (var element in built.ChainElements)
        {
            element.Certificate.Dispose();
        }

        return complete;
    }

    /// <param name="insecureFallback">Ask for a client certificate but let the client in without a valid one (AllowInsecureFallback).</param>
    /// <param name="alpn">Offer HTTP/2 and HTTP/1.1; not for a stream OneHop carries without reading it (a TLS listener in Terminate mode).</param>
    private SslServerAuthenticationOptions Options(SslStreamCertificateContext context, ClientCa? clientCa, bool insecureFallback = false, bool alpn = true) => new()
    {
        ServerCertificateContext = context,
        ApplicationProtocols = alpn ? Alpn : null,
        EnabledSslProtocols = _snapshot.ServerTlsProtocols ?? _options.Enabled,
        CipherSuitesPolicy = _snapshotCiphers ?? _ciphers,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        ClientCertificateRequired = clientCa is not null,

        // SslStream builds the client's chain once, with the intermediates it sent, against this CA only.
        CertificateChainPolicy = clientCa?.ChainPolicy(),
        RemoteCertificateValidationCallback = clientCa is null
            ? null
            : insecureFallback
#pragma warning disable CA5359 // The client's certificate, not a server's: AllowInsecureFallback lets in clients whose certificate is missing or does not chain, as the spec says.
            ? (_, _, _, _) => true
#pragma warning restore CA5359
            : (_, certificate, chain, errors) => ClientCertificates.Handshake(clientCa, certificate, chain, errors) || clientCa.CompletesHandshake,
    };

    /// <summary>A loaded certificate's cache key: its PEM, and whether it staples (a context is made online or offline).</summary>
    private string Key(PemCertificate pem) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(pem.CertificatePem + "\n" + pem.KeyPem))) + (_snapshot.OcspStapling ? "+ocsp" : string.Empty);

    private static List<string> DnsNames(X509Certificate2 certificate) =>
        [.. certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().SelectMany(e => e.EnumerateDnsNames())];

    /// <summary>Mozilla's "intermediate" profile: TLS 1.3 suites and ECDHE with AEAD ciphers for TLS 1.2 (<c>tls.cipherSuites: modern</c>).</summary>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private static CipherSuitesPolicy ModernCiphers() => new(
    [
        TlsCipherSuite.TLS_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    ]);

    private static partial class Log
    {
        [LoggerMessage(851, LogLevel.Information, "TLS certificate {Id} loaded: {Subject}, valid until {NotAfter:u}")]
        public static partial void Loaded(ILogger logger, string id, string subject, DateTime notAfter);

        [LoggerMessage(852, LogLevel.Error, "TLS certificate {Id} cannot be used: {Error}")]
        public static partial void Unusable(ILogger logger, string id, string error);

        [LoggerMessage(853, LogLevel.Warning, "TLS certificate {Id} ({Subject}) gets no OCSP staple: its chain does not reach a root; add the root to its bundle or the system's trust store")]
        public static partial void NotStapled(ILogger logger, string id, string subject);
    }
}
