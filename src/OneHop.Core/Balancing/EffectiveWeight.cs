using OneHop.Core.Health;
using Yarp.ReverseProxy.Model;

namespace OneHop.Core.Balancing;

/// <summary>
/// An endpoint's weight as every algorithm uses it: its configured weight × its slow-start factor, so a pod that
/// just joined ramps from 10% of its share to all of it over the backend's slow-start window.
/// </summary>
internal static class EffectiveWeight
{
    /// <summary>The configured weight, at least 1 (a weight of 0 would divide by zero and has no defined meaning here).</summary>
    public static int Configured(BalancingContext context, DestinationState destination) => Math.Max(1, context.WeightOf(destination));

    public static double Of(BalancingContext context, DestinationState destination, EndpointRuntime runtime, TimeSpan slowStart) =>
        Configured(context, destination) * runtime.SlowStartFactor(slowStart);
}
