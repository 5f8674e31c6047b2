using k8s.Models;

namespace OneHop.Core.Routing.Endpoints;

/// <summary>
/// The one place that reads EndpointSlice conditions (discovery.k8s.io/v1). Nil conditions take their documented
/// defaults: ready and serving mean true, terminating means false.
/// </summary>
internal static class EndpointConditions
{
    /// <summary>
    /// <see cref="EndpointState.Ready"/> for ready endpoints; <see cref="EndpointState.Terminating"/> for ones that
    /// are serving while terminating (used only when nothing is ready); null for anything else, which never gets traffic.
    /// </summary>
    public static EndpointState? Classify(V1EndpointConditions? conditions)
    {
        var ready = conditions?.Ready ?? true;
        var serving = conditions?.Serving ?? true;
        var terminating = conditions?.Terminating ?? false;
        if (ready)
        {
            return EndpointState.Ready;
        }

        return serving && terminating ? EndpointState.Terminating : null;
    }
}
