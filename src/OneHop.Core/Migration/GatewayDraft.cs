using k8s.Models;
using OneHop.Core.State;
using OneHop.Core.State.GatewayApi;

namespace OneHop.Core.Migration;

/// <summary>
/// A Gateway being written: the HTTP listener on 80, an HTTPS listener on 443 per TLS host with that host's Secrets
/// (ingress2gateway's naming: the host with dashes, then <c>-https</c>), and a Passthrough TLS listener per
/// <c>ssl-passthrough</c> host.
/// </summary>
internal sealed class GatewayDraft(ObjectKey key, string className, bool shared)
{
    public const string HttpListener = "http";

    private readonly SortedDictionary<string, List<ObjectKey>> _https = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _passthrough = new(StringComparer.Ordinal);

    public ObjectKey Key => key;

    public string ClassName => className;

    /// <summary>The Ingresses it was written for.</summary>
    public SortedSet<ObjectKey> Sources { get; } = [];

    public void AddHttps(string host, ObjectKey secret)
    {
        if (!_https.TryGetValue(host, out var secrets))
        {
            _https[host] = secrets = [];
        }

        if (!secrets.Contains(secret))
        {
            secrets.Add(secret);
        }
    }

    public void AddPassthrough(string host) => _passthrough.Add(host);

    /// <summary>The host has an HTTPS listener (a passthrough host has a TLS one instead).</summary>
    public bool HasHttps(string host) => _https.ContainsKey(host) && !_passthrough.Contains(host);

    /// <summary>Some host has an HTTPS listener on 443, beside which OneHop refuses a TLS one (ProtocolConflict).</summary>
    public bool AnyHttps => _https.Keys.Any(h => !_passthrough.Contains(h));

    public static string HttpsListener(string host) => ListenerPrefix(host) + "-https";

    public static string TlsListener(string host) => ListenerPrefix(host) + "-tls";

    /// <summary>A parent reference to one of its listeners from a route in <paramref name="routeNamespace"/>.</summary>
    public ParentReference Parent(string routeNamespace, string section) => new()
    {
        Name = key.Name,
        Namespace = routeNamespace == key.Namespace ? null : key.Namespace,
        SectionName = section,
    };

    public Gateway Build(ReferenceGrantSet grants)
    {
        var listeners = new List<GatewayListener> { Listener(HttpListener, null, 80, "HTTP", null) };
        foreach (var (host, secrets) in _https.Where(p => !_passthrough.Contains(p.Key)))
        {
            var refs = new List<SecretObjectReference>();
            foreach (var secret in secrets)
            {
                if (secret.Namespace != key.Namespace)
                {
                    grants.Add(secret.Namespace, "Gateway", key.Namespace, "Secret", secret.Name);
                }

                refs.Add(new SecretObjectReference { Group = string.Empty, Kind = "Secret", Name = secret.Name, Namespace = secret.Namespace == key.Namespace ? null : secret.Namespace });
            }

            listeners.Add(Listener(HttpsListener(host), host, 443, "HTTPS", new GatewayTlsConfig { CertificateRefs = refs }));
        }

        listeners.AddRange(_passthrough.Select(host => Listener(TlsListener(host), host, 443, "TLS", new GatewayTlsConfig { Mode = "Passthrough" })));
        return new Gateway
        {
            Metadata = new V1ObjectMeta { Name = key.Name, NamespaceProperty = key.Namespace },
            Spec = new GatewaySpec { GatewayClassName = className, Listeners = listeners },
        };
    }

    private GatewayListener Listener(string name, string? host, int port, string protocol, GatewayTlsConfig? tls) => new()
    {
        Name = name,
        Hostname = string.IsNullOrEmpty(host) ? null : host,
        Port = port,
        Protocol = protocol,
        Tls = tls,
        AllowedRoutes = shared ? new AllowedRoutes { Namespaces = new RouteNamespaces { From = "All" } } : null,
    };

    /// <summary>ingress2gateway's NameFromHost: the host with every run of other characters than letters and digits as a dash; a wildcard is spelled out.</summary>
    public static string ListenerPrefix(string host)
    {
        if (host.Length == 0 || host == "*")
        {
            return "all-hosts";
        }

        var name = new string([.. host.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]);
        while (name.Contains("--", StringComparison.Ordinal))
        {
            name = name.Replace("--", "-", StringComparison.Ordinal);
        }

        name = name.Trim('-');
        return host.StartsWith("*.", StringComparison.Ordinal) ? "wildcard-" + name : name;
    }
}
