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

    /// <summary>
    /// Its keys read once into one builder, for the settings of the whole proxy among them: the proxies in front its
    /// client-address keys trust and the PROXY protocol of <c>use-proxy-protocol</c> (<see cref="NginxSettingsBuilder.RealIp"/>),
    /// the TLS versions of <c>ssl-protocols</c> (<see cref="NginxSettingsBuilder.ServerTlsProtocols"/>).
    /// </summary>
    public NginxSettingsBuilder ProxyWide()
    {
        var builder = new NginxSettingsBuilder();
        ApplyTo(builder);
        return builder;
    }

    public bool Equals(NginxControllerConfig? other) =>
        other is not null && Map == other.Map && Defaults.SequenceEqual(other.Defaults);

    public override int GetHashCode() => HashCode.Combine(Map, Defaults.Length);
}
