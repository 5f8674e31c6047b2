using System.Collections.Immutable;
using System.Net;
using OneHop.Core.Configuration;
using OneHop.Core.Configuration.Policies;
using OneHop.Core.Diagnostics;
using OneHop.Core.Sources.Manifests;
using OneHop.Core.State;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace OneHop.Core.Sources.Config;

/// <summary>
/// Reads and validates <c>onehop.yaml</c>. All-or-nothing: a config with any error is rejected whole, and every
/// error is reported with its field path and line.
/// </summary>
internal static partial class ConfigLoader
{
    public const string SourceName = "config";

    /// <summary>The header a trusted proxy names the client in unless <c>forwardedHeaders.trustedProxies.header</c> says another.</summary>
    private const string ClientAddressHeader = "X-Forwarded-For";

    /// <summary>A config file is a few KiB; 1 Mi characters leaves room for thousands of routes and bounds the cost of a wrong file.</summary>
    public const int MaxLength = 1 << 20;

    private static readonly IDeserializer Deserializer = new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .WithDuplicateKeyChecking()
        .Build();

    public static ConfigLoadResult LoadFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new ConfigLoadResult(null, [Diagnostic.Error(DiagnosticCodes.FileUnreadable, $"cannot read config file: {ex.Message}", origin: new ObjectOrigin(SourceName, path))]);
        }

        return Parse(path, text);
    }

    public static ConfigLoadResult Parse(string file, string text)
    {
        if (text.Length > MaxLength)
        {
            return new ConfigLoadResult(null, [Diagnostic.Error(DiagnosticCodes.TooLarge, $"the config file holds {text.Length} characters; OneHop reads at most {MaxLength}", origin: new ObjectOrigin(SourceName, file))]);
        }

        ConfigDocument? document;
        ConfigOutline outline;
        try
        {
            CheckStructure(text);
            outline = ConfigOutline.Read(text);
            if (outline.Problems.Count == 0)
            {
                document = Deserializer.Deserialize<ConfigDocument?>(text);
            }
            else if (!TryDeserialize(outline.Checkable, out document))
            {
                return new ConfigLoadResult(null, [.. outline.Problems.Select(p => OutlineError(file, p))]);
            }
        }
        catch (YamlStructureException ex)
        {
            return new ConfigLoadResult(null, [Diagnostic.Error(DiagnosticCodes.ConfigError, ex.Message.Split("): ", 2)[^1], origin: At(file, ex.Start))]);
        }
        catch (YamlException ex)
        {
            return new ConfigLoadResult(null, [ReadError(file, text, ex)]);
        }
        catch (ArgumentException ex)
        {
            // YamlDotNet's representation model throws this on some event sequences its parser accepts (found by the fuzz test).
            return new ConfigLoadResult(null, [Diagnostic.Error(DiagnosticCodes.ConfigError, $"YAML the config reader cannot take: {ex.Message.Split(" (Parameter", 2)[0]}", origin: new ObjectOrigin(SourceName, file))]);
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this (not a YamlException) on some malformed flow collections.
            return new ConfigLoadResult(null, [Diagnostic.Error(DiagnosticCodes.ConfigError, "YAML syntax error: malformed flow collection or scalar (check {, [ and quotes)", origin: new ObjectOrigin(SourceName, file))]);
        }

        var validator = new Validator(file);
        var config = validator.Validate(document ?? new ConfigDocument());

        // The validator checked the file without the fields the outline refused; what it says about those (missing, or
        // inside one) is a consequence, not news. It knows fields; the outline knows where each one is.
        var diagnostics = outline.Problems.Select(p => OutlineError(file, p))
            .Concat(validator.Diagnostics
                .Where(d => !outline.Refused(d.Field))
                .Select(d => d.Origin is { Line: null } origin && outline.PlaceOf(d.Field) is { } place ? d with { Origin = origin with { Line = place.Line, Column = place.Column } } : d))
            .OrderBy(d => d.Origin?.Line ?? int.MaxValue)
            .ThenBy(d => d.Origin?.Column ?? 0)
            .ToImmutableArray();
        return new ConfigLoadResult(diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error) ? null : config, diagnostics);
    }

    /// <summary>Deserializes the file without its refused fields; false when nothing is left to check.</summary>
    private static bool TryDeserialize(string? checkable, out ConfigDocument? document)
    {
        document = null;
        if (checkable is null)
        {
            return false;
        }

        try
        {
            document = Deserializer.Deserialize<ConfigDocument?>(checkable);
            return true;
        }
        catch (YamlException)
        {
            // The outline's checks are the deserializer's, so this is not expected; the outline's findings stand alone.
            return false;
        }
    }

    private static Diagnostic OutlineError(string file, (string Field, int Line, int Column, string Message) problem) =>
        Diagnostic.Error(DiagnosticCodes.ConfigError, problem.Message, origin: new ObjectOrigin(SourceName, file, Line: problem.Line, Column: problem.Column), field: problem.Field.Length == 0 ? null : problem.Field);

    private static ObjectOrigin At(string file, Mark mark) => new(SourceName, file, Line: (int)mark.Line, Column: (int)mark.Column);

    /// <summary>Refuses nesting deeper than a config needs before the deserializer (which recurses) sees it.</summary>
    private static void CheckStructure(string text)
    {
        YamlCharacters.Check(text);
        var parser = new Parser(new StringReader(text));
        var structure = new YamlStructure();
        while (parser.MoveNext())
        {
            structure.Check(parser.Current!);
        }
    }

    private static Diagnostic ReadError(string file, string text, YamlException ex)
    {
        var reason = ex.InnerException?.Message ?? ex.Message;
        string? field = null;
        try
        {
            var parser = new Parser(new StringReader(text));
            parser.Consume<YamlDotNet.Core.Events.StreamStart>();
            parser.Consume<YamlDotNet.Core.Events.DocumentStart>();
            field = YamlNode.Read(parser).PathAt(ex.Start);
        }
        catch (YamlException)
        {
            // Not even valid YAML: the syntax error's own position is all there is.
            reason = ex.Message.Split("): ", 2)[^1];
        }

        if (reason.Contains("not found on type", StringComparison.Ordinal))
        {
            reason = "unknown field";
        }

        return Diagnostic.Error(DiagnosticCodes.ConfigError, reason, origin: At(file, ex.Start), field: field);
    }

    private sealed partial class Validator(string file)
    {
        public List<Diagnostic> Diagnostics { get; } = [];

        public OneHopConfig Validate(ConfigDocument doc)
        {
            var defaults = Defaults(doc.Defaults);
            var upstreams = Upstreams(doc.Upstreams ?? [], defaults.Policy);
            var names = upstreams.Select(u => u.Name).ToHashSet(StringComparer.Ordinal);
            var admin = doc.Admin?.Address is { } adminText ? Address(adminText, "admin.address") : null;
            var config = new OneHopConfig
            {
                Listeners = Listeners(doc.Listeners ?? [], names, admin),
                Admin = admin,
                AdminHosts = AdminHosts(doc.Admin?.Hosts ?? []),
                Ingress = Ingress(doc.Ingress),
                Defaults = defaults,
                Topology = Topology(doc.Topology),
                Tls = Tls(doc.Tls),
                Limits = Limits(doc.Limits),
                ForwardedHeaders = ForwardedHeaders(doc.ForwardedHeaders),
                Compression = Compression(doc.Compression),
                Upstreams = upstreams,
                Routes = Routes(doc.Routes ?? [], names),
                DefaultUpstream = doc.DefaultUpstream,
            };
            if (doc.DefaultUpstream is { } d && !names.Contains(d))
            {
                Error("defaultUpstream", $"no upstream is named '{d}'");
            }

            return config;
        }

        private ImmutableArray<string> AdminHosts(List<string> hosts)
        {
            for (var i = 0; i < hosts.Count; i++)
            {
                if (Uri.CheckHostName(hosts[i]) == UriHostNameType.Unknown)
                {
                    Error($"admin.hosts[{i}]", $"'{hosts[i]}' is not a host name or IP address");
                }
            }

            return [.. hosts];
        }

        private IngressSettings Ingress(IngressDocument? doc)
        {
            var className = doc?.ClassName ?? IngressSettings.DefaultClassName;
            if (className.Length == 0 || HostRules.Validate(className) is not null || className.Contains('.', StringComparison.Ordinal))
            {
                Error("ingress.className", $"'{className}' is not a valid class name (a lowercase DNS label)");
            }

            return new IngressSettings(className, doc?.WatchWithoutClass ?? false)
            {
                AdoptIngressNginx = doc?.AdoptIngressNginx ?? false,
                OwnsIngressNginx = doc?.OwnIngressNginx ?? false,
                TcpServicesConfigMap = ConfigMapKey(doc?.TcpServicesConfigMap, "ingress.tcpServicesConfigMap"),
                UdpServicesConfigMap = ConfigMapKey(doc?.UdpServicesConfigMap, "ingress.udpServicesConfigMap"),
                NginxConfigMap = ConfigMapKey(doc?.NginxConfigMap, "ingress.nginxConfigMap"),
                ServicesAddress = ServicesAddress(doc?.ServicesAddress),
            };
        }

        private ProxyProtocolConfig ProxyProtocol(ProxyProtocolDocument doc, string field)
        {
            var networks = Networks(doc.TrustedCidrs, $"{field}.trustedCidrs", "list the networks allowed to send the PROXY header (the firewall or HAProxy in front)");
            var schemeFrom = doc.SchemeFrom switch
            {
                null or "connection" => ClientSchemeSource.Connection,
                "x-forwarded-proto" => ClientSchemeSource.XForwardedProto,
                "forwarded" => ClientSchemeSource.Forwarded,
                var other => Invalid(other),
            };
            return new ProxyProtocolConfig(networks, schemeFrom);

            ClientSchemeSource Invalid(string value)
            {
                Error($"{field}.schemeFrom", $"'{value}' is not connection, x-forwarded-proto or forwarded");
                return ClientSchemeSource.Connection;
            }
        }

        /// <summary>A list of at least one network (<paramref name="whenEmpty"/> says what belongs there), each checked.</summary>
        private ImmutableArray<System.Net.IPNetwork> Networks(List<string>? cidrs, string field, string whenEmpty)
        {
            var networks = ImmutableArray.CreateBuilder<System.Net.IPNetwork>();
            if (cidrs is not { Count: > 0 })
            {
                Error(field, whenEmpty);
                return [];
            }

            foreach (var (cidr, _, cidrField) in Items(cidrs, field))
            {
                if (System.Net.IPNetwork.TryParse(cidr, out var network))
                {
                    networks.Add(network);
                }
                else
                {
                    Error(cidrField, $"'{cidr}' is not a network such as 10.0.0.0/8");
                }
            }

            return networks.ToImmutable();
        }

        private TlsConfig Tls(TlsDocument? doc)
        {
            if (doc is null)
            {
                return TlsConfig.None;
            }

            var minimum = (doc.MinVersion ?? "TLS1.2") switch
            {
                "TLS1.2" => System.Security.Authentication.SslProtocols.Tls12,
                "TLS1.3" => System.Security.Authentication.SslProtocols.Tls13,
                var other => Invalid(other),
            };
            TlsCipherSuiteList? cipherList = null;
            var ciphers = (doc.CipherSuites ?? "default") switch
            {
                "default" => TlsCipherSuites.Default,
                "modern" => TlsCipherSuites.Modern,
                var other => Listed(other),
            };
            var certificates = Items(doc.Certificates ?? [], "tls.certificates").Select(c => Certificate(c.Item, c.Field)).OfType<CertificateFileConfig>().ToImmutableArray();
            var fallback = doc.DefaultCertificate is null ? null : Certificate(doc.DefaultCertificate, "tls.defaultCertificate");
            if (doc.RedirectPort is { } port && port is < 1 or > 65535)
            {
                Error("tls.redirectPort", $"{port} is not a port from 1 to 65535 (the port clients reach HTTPS at, for redirects)");
            }

            return new TlsConfig(certificates, fallback, minimum, doc.RedirectPort, ciphers, doc.OcspStapling ?? false, doc.RejectUnknownNames ?? false) { CipherList = cipherList };

            System.Security.Authentication.SslProtocols Invalid(string value)
            {
                Error("tls.minVersion", $"'{value}' is not TLS1.2 or TLS1.3");
                return System.Security.Authentication.SslProtocols.Tls12;
            }

            TlsCipherSuites Listed(string value)
            {
                cipherList = TlsCipherSuiteList.Parse(value, out var error);
                if (cipherList is not null)
                {
                    return TlsCipherSuites.Listed;
                }

                Error("tls.cipherSuites", $"'{value}' is not default (OpenSSL's list, sessions resumed), modern (Mozilla's intermediate list as a policy, no resumption) or a list of suites: {error}");
                return TlsCipherSuites.Default;
            }
        }

        /// <summary>A path as written in the config file: relative to the file's directory.</summary>
        private string FromConfigDirectory(string path) => Path.GetFullPath(path, Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".");

        /// <summary>An upstream's <c>tlsServerName</c>: a DNS name (no wildcard, no port), for https upstreams only.</summary>
        private string? ServerName(string? name, string scheme, string field)
        {
            if (string.IsNullOrEmpty(name))
            {
                return null;
            }

            if (scheme != "https")
            {
                Error(field, $"only an https upstream sends a TLS server name; this one is {scheme}");
                return null;
            }

            if (Uri.CheckHostName(name) != UriHostNameType.Dns)
            {
                Error(field, $"'{name}' is not a DNS name (the name sent as SNI and checked against the server's certificate)");
                return null;
            }

            return name.ToLowerInvariant();
        }

        /// <summary>
        /// The file named by an upstream's <c>tlsCaFile</c> and its PEM bundle, checked to hold at least one certificate.
        /// </summary>
        private (string File, string Pem)? CaBundle(string? path, string scheme, string field)
        {
            if (string.IsNullOrEmpty(path))
            {
                return null;
            }

            if (scheme != "https")
            {
                Error(field, $"only an https upstream verifies certificates; this one is {scheme}");
                return null;
            }

            var full = FromConfigDirectory(path);
            try
            {
                var pem = File.ReadAllText(full);
                var bundle = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection();
                bundle.ImportFromPem(pem);
                if (bundle.Count == 0)
                {
                    Error(field, "holds no PEM certificate");
                    return null;
                }

                return (full, pem);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                Error(field, $"cannot read: {ex.Message}");
                return null;
            }
        }

        private CertificateFileConfig? Certificate(CertificateDocument doc, string field)
        {
            if (string.IsNullOrEmpty(doc.CertFile) || string.IsNullOrEmpty(doc.KeyFile))
            {
                Error(field, "needs certFile and keyFile (PEM)");
                return null;
            }

            var certFile = FromConfigDirectory(doc.CertFile);
            var keyFile = FromConfigDirectory(doc.KeyFile);
            try
            {
                var (_, error) = CertificateParser.Parse(File.ReadAllText(certFile), File.ReadAllText(keyFile));
                if (error is not null)
                {
                    Error(field, error.Replace("tls.crt", "certFile", StringComparison.Ordinal).Replace("tls.key", "keyFile", StringComparison.Ordinal));
                    return null;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Error(field, $"cannot read: {ex.Message}");
                return null;
            }

            return new CertificateFileConfig(certFile, keyFile);
        }

        private LimitsConfig Limits(LimitsDocument? doc)
        {
            var limits = new LimitsConfig();
            if (doc is null)
            {
                return limits;
            }

            if (doc.MaxRequestHeaders is < 1)
            {
                Error("limits.maxRequestHeaders", "must be at least 1");
            }

            RateLimitConfig? rate = null;
            if (doc.RateLimit is { } r)
            {
                if (r.RequestsPerSecond is not > 0)
                {
                    Error("limits.rateLimit.requestsPerSecond", "must be at least 1");
                }

                rate = new RateLimitConfig(r.RequestsPerSecond ?? 1, r.Burst ?? r.RequestsPerSecond ?? 1);
            }

            SharedRatesConfig? shared = null;
            if (doc.SharedRates is { } sharedDoc)
            {
                shared = SharedRates(sharedDoc);
            }

            return limits with
            {
                MaxRequestHeadersSize = Size(doc.MaxRequestHeadersSize, "limits.maxRequestHeadersSize") ?? limits.MaxRequestHeadersSize,
                MaxRequestHeaders = doc.MaxRequestHeaders ?? limits.MaxRequestHeaders,
                MaxRequestBodySize = Size(doc.MaxRequestBodySize, "limits.maxRequestBodySize") ?? limits.MaxRequestBodySize,
                RequestHeadersTimeout = Duration(doc.RequestHeadersTimeout, "limits.requestHeadersTimeout") ?? limits.RequestHeadersTimeout,
                KeepAliveTimeout = Duration(doc.KeepAliveTimeout, "limits.keepAliveTimeout") ?? limits.KeepAliveTimeout,
                RateLimit = rate,
                SharedRates = shared,
            };
        }

        private SharedRatesConfig? SharedRates(SharedRatesDocument doc)
        {
            const string Field = "limits.sharedRates";
            var ok = true;
            if (string.IsNullOrWhiteSpace(doc.Redis))
            {
                Error($"{Field}.redis", "is required: the Redis server the replicas count in (host:port)");
                ok = false;
            }
            else if (SharedRatesConfig.RedisProblem(doc.Redis) is { } problem)
            {
                Error($"{Field}.redis", problem);
                ok = false;
            }

            var interval = Duration(doc.SyncInterval, $"{Field}.syncInterval") ?? SharedRatesConfig.DefaultSyncInterval;
            if (interval < SharedRatesConfig.MinSyncInterval || interval > SharedRatesConfig.MaxSyncInterval)
            {
                Error($"{Field}.syncInterval", $"must be from {SharedRatesConfig.MinSyncInterval.TotalMilliseconds:0}ms to {SharedRatesConfig.MaxSyncInterval.TotalSeconds:0}s");
                ok = false;
            }

            if (doc.KeyPrefix is { } prefix && (prefix.Length == 0 || prefix.Any(char.IsWhiteSpace)))
            {
                Error($"{Field}.keyPrefix", "must be a word without spaces");
                ok = false;
            }

            string? passwordFile = null;
            if (doc.PasswordFile is { } path)
            {
                passwordFile = FromConfigDirectory(path);
                try
                {
                    if (File.ReadAllText(passwordFile).Trim().Length == 0)
                    {
                        Error($"{Field}.passwordFile", $"{passwordFile} is empty");
                        ok = false;
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    Error($"{Field}.passwordFile", $"cannot read: {ex.Message}");
                    ok = false;
                }
            }

            return ok ? new SharedRatesConfig(doc.Redis!, interval, doc.KeyPrefix ?? SharedRatesConfig.DefaultKeyPrefix) { PasswordFile = passwordFile } : null;
        }

        private ForwardedHeadersConfig ForwardedHeaders(ForwardedHeadersDocument? doc) => new(
            Action(doc?.XForwarded, "forwardedHeaders.xForwarded") ?? ForwardedAction.Set,
            Action(doc?.Forwarded, "forwardedHeaders.forwarded") ?? ForwardedAction.Off,
            doc?.TrustedProxies is { } trusted ? TrustedProxies(trusted, "forwardedHeaders.trustedProxies") : null)
        {
            GenerateRequestId = doc?.GenerateRequestId ?? false,
        };

        private TrustedProxiesConfig TrustedProxies(TrustedProxiesDocument doc, string field)
        {
            var networks = Networks(doc.Cidrs, $"{field}.cidrs", "list the proxies in front whose header names the client (the load balancer's or CDN's networks)");
            var header = doc.Header ?? ClientAddressHeader;
            if (header.Length == 0 || !header.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                Error($"{field}.header", $"'{header}' is not a header name (letters, digits, - and _)");
                header = ClientAddressHeader;
            }

            return new TrustedProxiesConfig(networks, header, doc.Recursive ?? true, doc.TrustXForwarded ?? false, doc.AppendForwardedFor ?? false);
        }

        private ForwardedAction? Action(string? text, string field)
        {
            switch (text)
            {
                case null:
                    return null;
                case "set":
                    return ForwardedAction.Set;
                case "append":
                    return ForwardedAction.Append;
                case "off":
                    return ForwardedAction.Off;
                default:
                    Error(field, $"'{text}' is not set, append or off");
                    return null;
            }
        }

        private long? Size(string? text, string field)
        {
            if (text is null)
            {
                return null;
            }

            if (Sizes.TryParse(text, out var bytes))
            {
                return bytes;
            }

            Error(field, $"'{text}' is not a size such as 64KiB or 100MiB");
            return null;
        }

        private TopologySettings Topology(TopologyDocument? doc)
        {
            if (doc?.TrafficShare is { } share && share is <= 0 or > 1)
            {
                Error("topology.trafficShare", $"{share} is not a share of traffic in (0, 1]");
            }

            return new TopologySettings(string.IsNullOrEmpty(doc?.Zone) ? null : doc.Zone, doc?.TrafficShare);
        }

        private ProxyDefaults Defaults(DefaultsDocument? doc)
        {
            var defaults = new ProxyDefaults();
            if (doc is null)
            {
                return defaults;
            }

            return defaults with
            {
                Policy = Policy(BackendPolicy.Default, doc, "defaults"),
                ConnectTimeout = Duration(doc.ConnectTimeout, "defaults.connectTimeout") ?? defaults.ConnectTimeout,
                RequestTimeout = Duration(doc.RequestTimeout, "defaults.requestTimeout") ?? defaults.RequestTimeout,
                UpstreamIdleTimeout = Duration(doc.UpstreamIdleTimeout, "defaults.upstreamIdleTimeout") ?? defaults.UpstreamIdleTimeout,
                DrainTimeout = Duration(doc.DrainTimeout, "defaults.drainTimeout") ?? defaults.DrainTimeout,
                Reach = Reach(doc.Reach) ?? defaults.Reach,
            };
        }

        private ReachMode? Reach(string? text)
        {
            if (text is null)
            {
                return null;
            }

            var mode = ReachModes.Parse(text);
            if (mode is null)
            {
                Error("defaults.reach", $"'{text}' is not {ReachModes.Names}");
            }

            return mode;
        }

        private ImmutableArray<UpstreamConfig> Upstreams(List<UpstreamDocument> upstreams, BackendPolicy defaultPolicy)
        {
            var result = ImmutableArray.CreateBuilder<UpstreamConfig>();
            foreach (var (doc, _, field) in Items(upstreams, "upstreams"))
            {
                if (string.IsNullOrEmpty(doc.Name))
                {
                    Error($"{field}.name", "every upstream needs a name");
                    continue;
                }

                if (result.Any(u => u.Name == doc.Name))
                {
                    Error($"{field}.name", $"another upstream is already named '{doc.Name}'");
                    continue;
                }

                var scheme = doc.Scheme ?? "http";
                if (scheme is not ("http" or "https" or "h2c"))
                {
                    Error($"{field}.scheme", $"'{scheme}' is not http, https or h2c");
                }

                var endpoints = UpstreamEndpoints(doc.Endpoints ?? [], field);
                if (doc.Endpoints is null or { Count: 0 })
                {
                    Error($"{field}.endpoints", "an upstream needs at least one endpoint");
                }

                var ca = CaBundle(doc.TlsCaFile, scheme, $"{field}.tlsCaFile");
                var serverName = ServerName(doc.TlsServerName, scheme, $"{field}.tlsServerName");
                result.Add(new UpstreamConfig(
                    doc.Name,
                    scheme,
                    Policy(defaultPolicy, doc, field),
                    endpoints,
                    doc.TlsInsecureSkipVerify ?? false)
                {
                    TlsCaPem = ca?.Pem,
                    TlsCaFile = ca?.File,
                    TlsServerName = serverName,
                });
            }

            return result.ToImmutable();
        }

        private ImmutableArray<UpstreamEndpointConfig> UpstreamEndpoints(List<UpstreamEndpointDocument> endpoints, string parent)
        {
            var result = ImmutableArray.CreateBuilder<UpstreamEndpointConfig>();
            foreach (var (doc, _, field) in Items(endpoints, $"{parent}.endpoints"))
            {
                var weight = doc.Weight ?? 1;
                if (weight is < 1 or > 1000)
                {
                    Error($"{field}.weight", "a weight is between 1 and 1000");
                }

                if (HostPort(doc.Address, $"{field}.address") is { } hostPort)
                {
                    result.Add(new UpstreamEndpointConfig(hostPort.Host, hostPort.Port, weight, doc.Zone));
                }
            }

            return result.ToImmutable();
        }

        private ImmutableArray<StaticRouteConfig> Routes(List<RouteDocument> routes, HashSet<string> upstreams)
        {
            var result = ImmutableArray.CreateBuilder<StaticRouteConfig>();
            var taken = new Dictionary<(string Host, string Path, PathMatchType Type), string>();
            foreach (var (doc, i, field) in Items(routes, "routes"))
            {
                var hosts = (doc.Hosts ?? []).Select(h => h?.ToLowerInvariant() ?? string.Empty).ToImmutableArray();
                for (var h = 0; h < hosts.Length; h++)
                {
                    if (doc.Hosts![h] is null)
                    {
                        Error($"{field}.hosts[{h}]", "a host must be a name, not null");
                    }
                    else if (HostRules.Validate(hosts[h]) is { } hostError)
                    {
                        Error($"{field}.hosts[{h}]", $"'{hosts[h]}': {hostError}");
                    }
                }

                var path = doc.Path ?? "/";
                if (PathRules.Validate(path) is { } pathError)
                {
                    Error($"{field}.path", $"'{path}' {pathError}");
                }

                PathMatchType? pathType = (doc.PathType ?? "Prefix") switch
                {
                    "Exact" => PathMatchType.Exact,
                    "Prefix" or "ImplementationSpecific" => PathMatchType.Prefix,
                    _ => null,
                };
                if (pathType is null)
                {
                    Error($"{field}.pathType", $"'{doc.PathType}' is not Exact, Prefix or ImplementationSpecific");
                }

                if (string.IsNullOrEmpty(doc.Upstream) || !upstreams.Contains(doc.Upstream))
                {
                    Error($"{field}.upstream", string.IsNullOrEmpty(doc.Upstream) ? "a route needs an upstream" : $"no upstream is named '{doc.Upstream}'");
                    continue;
                }

                var timeout = Duration(doc.Timeout, $"{field}.timeout");
                var route = new StaticRouteConfig(doc.Name ?? $"route-{i}", hosts, path, pathType ?? PathMatchType.Prefix, doc.Upstream, timeout, doc.Compression);
                foreach (var host in hosts.IsEmpty ? [string.Empty] : hosts)
                {
                    if (!taken.TryAdd((host, route.Path, route.PathType), route.Name))
                    {
                        Error(field, $"host '{(host.Length == 0 ? "(any)" : host)}' path {route.Path} ({route.PathType}) is already routed by route {taken[(host, route.Path, route.PathType)]}");
                    }
                }

                result.Add(route);
            }

            return result.ToImmutable();
        }

        private ListenAddress? Address(string? text, string field)
        {
            if (ListenAddress.TryParse(text, out var address, out var error))
            {
                return address;
            }

            Error(field, error!);
            return null;
        }

        private (string Host, int Port)? HostPort(string? text, string field)
        {
            if (string.IsNullOrEmpty(text))
            {
                Error(field, "an endpoint needs an address, HOST:PORT");
                return null;
            }

            var colon = text.LastIndexOf(':');
            var host = colon > 0 ? text[..colon] : text;
            if (colon <= 0 || !int.TryParse(text[(colon + 1)..], out var port) || port is < 1 or > 65535)
            {
                Error(field, $"'{text}' is not HOST:PORT with a port from 1 to 65535");
                return null;
            }

            if (host.StartsWith('[') && host.EndsWith(']'))
            {
                host = host[1..^1];
            }

            if (!IPAddress.TryParse(host, out _) && HostRules.Validate(host.ToLowerInvariant()) is not null)
            {
                Error(field, $"'{host}' is neither an IP address nor a DNS name");
                return null;
            }

            return (host, port);
        }

        private BackendPolicy Policy(BackendPolicy basePolicy, PolicyDocument doc, string field) =>
            BackendPolicyReader.Apply(basePolicy, Settings(doc, field), Error);

        /// <summary>The config fields as policy settings, so they parse exactly like the matching annotations.</summary>
        private static IEnumerable<PolicySetting> Settings(PolicyDocument d, string f)
        {
            (string Key, string? Value, string Field)[] all =
            [
                ("load-balance", d.LoadBalancing, $"{f}.loadBalancing"),
                ("hash-key", d.HashKey, $"{f}.hashKey"),
                ("hash-bounded-load", d.BoundedLoad, $"{f}.boundedLoad"),
                ("affinity-cookie", d.AffinityCookie, $"{f}.affinityCookie"),
                ("slow-start", d.SlowStart, $"{f}.slowStart"),
                ("ewma-decay", d.EwmaDecay, $"{f}.ewmaDecay"),
                ("zone-aware", d.ZoneAware, $"{f}.zoneAware"),
                ("health-check-path", d.HealthCheck?.Path ?? (d.HealthCheck is null ? null : "/"), $"{f}.healthCheck.path"),
                ("health-check-interval", d.HealthCheck?.Interval, $"{f}.healthCheck.interval"),
                ("health-check-timeout", d.HealthCheck?.Timeout, $"{f}.healthCheck.timeout"),
                ("health-check-healthy-threshold", d.HealthCheck?.HealthyThreshold, $"{f}.healthCheck.healthyThreshold"),
                ("health-check-unhealthy-threshold", d.HealthCheck?.UnhealthyThreshold, $"{f}.healthCheck.unhealthyThreshold"),
                ("outlier-consecutive-failures", d.Outlier?.ConsecutiveFailures, $"{f}.outlier.consecutiveFailures"),
                ("outlier-base-ejection-time", d.Outlier?.BaseEjectionTime, $"{f}.outlier.baseEjectionTime"),
                ("outlier-max-ejection-percent", d.Outlier?.MaxEjectionPercent, $"{f}.outlier.maxEjectionPercent"),
                ("retries", d.Retries?.Attempts, $"{f}.retries.attempts"),
                ("retry-budget-percent", d.Retries?.BudgetPercent, $"{f}.retries.budgetPercent"),
                ("retry-min-per-second", d.Retries?.MinPerSecond, $"{f}.retries.minPerSecond"),
                ("concurrency-max-per-endpoint", d.Concurrency?.MaxPerEndpoint, $"{f}.concurrency.maxPerEndpoint"),
                ("concurrency-queue-size", d.Concurrency?.QueueSize, $"{f}.concurrency.queueSize"),
                ("concurrency-queue-timeout", d.Concurrency?.QueueTimeout, $"{f}.concurrency.queueTimeout"),
            ];
            return all.Where(s => s.Value is not null).Select(s => new PolicySetting(s.Key, s.Value!, s.Field));
        }

        private TimeSpan? Duration(string? text, string field)
        {
            if (text is null)
            {
                return null;
            }

            if (Durations.TryParse(text, out var value) && value > TimeSpan.Zero)
            {
                return value;
            }

            Error(field, Durations.Invalid(text, positive: true));
            return null;
        }

        /// <summary>The items of a list with their index and field path; a null item is reported and skipped.</summary>
        private IEnumerable<(T Item, int Index, string Field)> Items<T>(IReadOnlyList<T?> list, string field)
            where T : class
        {
            for (var i = 0; i < list.Count; i++)
            {
                if (list[i] is { } item)
                {
                    yield return (item, i, $"{field}[{i}]");
                }
                else
                {
                    Error($"{field}[{i}]", "an entry must be a value, not null");
                }
            }
        }

        private void Error(string field, string message) =>
            Diagnostics.Add(Diagnostic.Error(DiagnosticCodes.ConfigError, message, origin: new ObjectOrigin(SourceName, file), field: field));
    }
}
