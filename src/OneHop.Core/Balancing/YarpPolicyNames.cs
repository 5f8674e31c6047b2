using Yarp.ReverseProxy.LoadBalancing;

namespace OneHop.Core.Balancing;

/// <summary>Maps OneHop's algorithm names to the YARP <c>ILoadBalancingPolicy</c> that implements each.</summary>
internal static class YarpPolicyNames
{
    public static string For(string algorithm) => algorithm switch
    {
        BalancingAlgorithms.RoundRobin => LoadBalancingPolicies.RoundRobin,
        BalancingAlgorithms.Random => LoadBalancingPolicies.Random,
        BalancingAlgorithms.LeastConnections => LoadBalancingPolicies.LeastRequests,
        BalancingAlgorithms.PowerOfTwoChoices => LoadBalancingPolicies.PowerOfTwoChoices,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "unknown balancing algorithm"),
    };
}
