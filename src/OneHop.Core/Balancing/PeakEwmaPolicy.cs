using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using OneHop.Core.Health;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace OneHop.Core.Balancing;

/// <summary>
/// <c>peak-ewma</c> (Finagle, Linkerd): power of two choices on cost = peak-EWMA latency × (in flight + 1) /
/// effective weight — the expected wait at each pod, so a pod that turns slow loses traffic within a few responses,
/// and one slow because it is busy is seen as busy. A pod without a response yet counts as
/// <see cref="PeakEwmaDefaults.InitialLatency"/>, so it does not look free; an idle pod's estimate decays
/// (<see cref="DecayingLatency"/>) so it is retried. The data plane feeds the estimate after each response.
/// </summary>
internal sealed class PeakEwmaPolicy(BalancingContext balancing) : ILoadBalancingPolicy
{
    private static readonly double InitialSeconds = PeakEwmaDefaults.InitialLatency.TotalSeconds;

    private readonly ConditionalWeakTable<EndpointRuntime, DecayingLatency> _latencies = [];

    public string Name { get; } = YarpPolicyNames.For(BalancingAlgorithms.PeakEwma);

    public DestinationState? PickDestination(HttpContext context, ClusterState cluster, IReadOnlyList<DestinationState> availableDestinations)
    {
        if (availableDestinations.Count <= 1)
        {
            return availableDestinations.Count == 0 ? null : availableDestinations[0];
        }

        var policy = balancing.PolicyOf(cluster);
        PowerOfTwo.Candidates(balancing.Random, availableDestinations.Count, out var i, out var j);
        var first = availableDestinations[i];
        var second = availableDestinations[j];
        return Cost(second, policy.SlowStart, policy.EwmaDecay) < Cost(first, policy.SlowStart, policy.EwmaDecay) ? second : first;
    }

    /// <summary>The expected cost of one more request at the pod, in seconds of work queued at unit weight.</summary>
    internal double Cost(DestinationState destination, TimeSpan slowStart, TimeSpan decay)
    {
        var runtime = balancing.RuntimeOf(destination);
        var latency = _latencies.GetValue(runtime, static _ => new DecayingLatency()).Read(runtime.LatencyEwma(InitialSeconds), balancing.Time, decay);
        return latency * (runtime.InFlight + 1) / EffectiveWeight.Of(balancing, destination, runtime, slowStart);
    }
}
