using System.Runtime.CompilerServices;
using Yarp.ReverseProxy.Configuration;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// YARP's own <see cref="IConfigValidator"/>, remembering which route and cluster objects it has already passed.
/// YARP validates every route and cluster of a config on each update; the data plane hands unchanged routes and
/// clusters back as the same objects (they are immutable), so endpoint churn at 1,000 Ingress rules does not
/// re-validate 1,000 unchanged routes (YARP's update at 1,000 Services: 18 -> 13 ms, measured). Clusters rarely
/// hit: YARP 2.3 passes each cluster through its destination resolver first, which returns a copy.
/// </summary>
internal sealed class MemoizingConfigValidator(IConfigValidator inner) : IConfigValidator
{
    private static readonly object Valid = new();
    private readonly ConditionalWeakTable<RouteConfig, object> _routes = [];
    private readonly ConditionalWeakTable<ClusterConfig, object> _clusters = [];

    public async ValueTask<IList<Exception>> ValidateRouteAsync(RouteConfig route)
    {
        if (_routes.TryGetValue(route, out _))
        {
            return [];
        }

        var errors = await inner.ValidateRouteAsync(route).ConfigureAwait(false);
        if (errors.Count == 0)
        {
            _routes.AddOrUpdate(route, Valid);
        }

        return errors;
    }

    public async ValueTask<IList<Exception>> ValidateClusterAsync(ClusterConfig cluster)
    {
        if (_clusters.TryGetValue(cluster, out _))
        {
            return [];
        }

        var errors = await inner.ValidateClusterAsync(cluster).ConfigureAwait(false);
        if (errors.Count == 0)
        {
            _clusters.AddOrUpdate(cluster, Valid);
        }

        return errors;
    }
}
