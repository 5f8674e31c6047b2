using System.Collections.Immutable;
using OneHop.Core.State;

namespace OneHop.Core.Routing.Ingresses.Nginx;

/// <summary>
/// The good keys of ingress-nginx's controller ConfigMap that have a OneHop meaning: every served Ingress's settings
/// start from them, then its own annotations override them (annotation, then ConfigMap, then OneHop's default).
/// </summary>
/// <param name="Map">The ConfigMap, for the fields its settings are reported under.</param>
/// <param name="Defaults">Key and value, in key order; each parses (checked when read).</param>
internal sealed record NginxControllerConfig(ObjectKey Map, ImmutableArray<KeyValuePair<string, string>> Defaults)
{
    public static readonly NginxControllerConfig None = new(default, []);

    /// <summary>Sets the ConfigMap's defaults on an Ingress's settings before its annotations are read.</summary>
    public void ApplyTo(NginxSettingsBuilder builder)
    {
        foreach (var (key, value) in Defaults)
        {
            builder.Field = $"ConfigMap {Map} data[{key}]";
            NginxConfigMapKeys.ByName[key].Parse!(value, builder);
        }
    }

    /// <summary>The proxies in front its client-address keys trust (<see cref="NginxRealIp"/>); null when they trust none.</summary>
    public Configuration.TrustedProxiesConfig? TrustedProxies() => Whole().RealIp.ToConfig();

    /// <summary>The PROXY protocol its <c>use-proxy-protocol</c> asks of the HTTP and HTTPS listeners; null when off.</summary>
    public Configuration.ProxyProtocolConfig? ProxyProtocol() => Whole().RealIp.ToProxyProtocol();

    /// <summary>The TLS versions its <c>ssl-protocols</c> has every HTTPS listener offer; null without the key.</summary>
    public System.Security.Authentication.SslProtocols? ServerTlsProtocols() => Whole().ServerTlsProtocols;

    /// <summary>Its keys read into one builder, for the settings of the whole proxy among them.</summary>
    private NginxSettingsBuilder Whole()
    {
        var builder = new NginxSettingsBuilder();
        ApplyTo(builder);
        return builder;
    }

    public bool Equals(NginxControllerConfig? other) =>
        other is not null && Map == other.Map && Defaults.SequenceEqual(other.Defaults);

    public override int GetHashCode() => HashCode.Combine(Map, Defaults.Length);
}
