using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OneHop.Core.Concurrency;
using Yarp.ReverseProxy.LoadBalancing;

namespace OneHop.Core.Balancing;

/// <summary>Registers OneHop's balancing algorithms as YARP load-balancing policies.</summary>
internal static class BalancingRegistration
{
    internal static IServiceCollection AddOneHopBalancing(this IServiceCollection services)
    {
        // EndpointRuntimeRegistry is not registered here: the host registers the one instance its data plane,
        // health checks and pickers share.
        services.TryAddSingleton<IRandomSource>(SharedRandomSource.Instance);
        services.TryAddSingleton<BalancingContext>();
        services.TryAddEnumerable(
        [
            ServiceDescriptor.Singleton<ILoadBalancingPolicy, RoundRobinPolicy>(),
            ServiceDescriptor.Singleton<ILoadBalancingPolicy, WeightedRoundRobinPolicy>(),
            ServiceDescriptor.Singleton<ILoadBalancingPolicy, RandomPolicy>(),
            ServiceDescriptor.Singleton<ILoadBalancingPolicy, LeastConnectionsPolicy>(),
            ServiceDescriptor.Singleton<ILoadBalancingPolicy, ShortestExpectedDelayPolicy>(),
            ServiceDescriptor.Singleton<ILoadBalancingPolicy, NeverQueuePolicy>(),
            ServiceDescriptor.Singleton<ILoadBalancingPolicy, PowerOfTwoChoicesPolicy>(),
            ServiceDescriptor.Singleton<ILoadBalancingPolicy, PeakEwmaPolicy>(),
            ServiceDescriptor.Singleton<ILoadBalancingPolicy, MaglevPolicy>(),
            ServiceDescriptor.Singleton<ILoadBalancingPolicy, CookieAffinityPolicy>(),
        ]);
        return services;
    }
}
