using System.Collections.Immutable;
using OneHop.Core.Routing.Ingresses;
using OneHop.Core.State;

namespace OneHop.Core.Routing;

/// <summary>
/// The last version of each Ingress that compiled without error. When an edit breaks an Ingress, the translator
/// routes by this version instead, so a typo never takes a site down.
/// </summary>
internal sealed record TranslationMemory(ImmutableDictionary<ObjectKey, CompiledIngress> LastGood)
{
    public static readonly TranslationMemory Empty = new(ImmutableDictionary<ObjectKey, CompiledIngress>.Empty);

    /// <summary>
    /// The last target of each L4 route (a config listener's, a ConfigMap entry's) that resolved; when a change names a
    /// Service or port that does not exist, connections keep going there.
    /// </summary>
    public ImmutableDictionary<string, Configuration.L4RouteConfig> LastGoodL4 { get; init; } = ImmutableDictionary<string, Configuration.L4RouteConfig>.Empty;

    /// <summary>The last version of ingress-nginx's controller ConfigMap without a bad value, kept in force while a later one has one.</summary>
    public Ingresses.Nginx.NginxControllerConfig? LastGoodNginxConfig { get; init; }

    /// <summary>The last headers of the controller ConfigMap's add-headers and proxy-set-headers without a problem, kept in force while a later version has one.</summary>
    public Ingresses.Nginx.NginxGlobalHeaders? LastGoodNginxHeaders { get; init; }
}
