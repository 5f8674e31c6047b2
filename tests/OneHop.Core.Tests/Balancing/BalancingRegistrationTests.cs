using Microsoft.Extensions.DependencyInjection;
using OneHop.Core.Balancing;
using OneHop.Core.Concurrency;
using OneHop.Core.Configuration.Policies;
using OneHop.Core.Health;
using OneHop.Core.Proxy.Http;
using Yarp.ReverseProxy.LoadBalancing;

namespace OneHop.Core.Tests.Balancing;

public sealed class BalancingRegistrationTests
{
    [Fact]
    public void Every_algorithm_is_a_registered_policy_whose_name_does_not_clash_with_yarps()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(new SnapshotCatalog());
        services.AddSingleton(new EndpointRuntimeRegistry(TimeProvider.System));
        services.AddOneHopBalancing();
        services.AddReverseProxy();
        using var provider = services.BuildServiceProvider();

        var names = provider.GetServices<ILoadBalancingPolicy>().Select(p => p.Name).ToList();

        // YARP indexes policies by name ignoring case and fails at startup on a duplicate (its own "Random"...).
        Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(BalancingAlgorithms.All, algorithm => Assert.Contains(YarpPolicyNames.For(algorithm), names));
        Assert.Contains(LoadBalancingPolicies.Random, names);
    }

    [Theory]
    [InlineData("round-robin", "onehop-round-robin")]
    [InlineData("p2c", "onehop-p2c")]
    [InlineData("maglev", "onehop-maglev")]
    public void Yarp_policy_names_are_ours_prefixed(string algorithm, string expected) => Assert.Equal(expected, YarpPolicyNames.For(algorithm));

    [Fact]
    public void An_unknown_algorithm_has_no_policy_name() => Assert.Throws<ArgumentOutOfRangeException>(() => YarpPolicyNames.For("fastest"));

    [Fact]
    public void The_random_source_defaults_to_the_shared_one_and_the_context_is_registered()
    {
        var services = new ServiceCollection();
        services.AddSingleton(new SnapshotCatalog());
        services.AddSingleton(new EndpointRuntimeRegistry(TimeProvider.System));
        services.AddOneHopBalancing();
        using var provider = services.BuildServiceProvider();

        Assert.Same(SharedRandomSource.Instance, provider.GetRequiredService<IRandomSource>());
        Assert.NotNull(provider.GetRequiredService<BalancingContext>());
    }
}
