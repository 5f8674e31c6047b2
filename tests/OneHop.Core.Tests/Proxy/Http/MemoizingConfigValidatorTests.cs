using OneHop.Core.Proxy.Http;
using Yarp.ReverseProxy.Configuration;

namespace OneHop.Core.Tests.Proxy.Http;

public sealed class MemoizingConfigValidatorTests
{
    [Fact]
    public async Task A_route_or_cluster_object_that_passed_is_not_validated_again_and_a_failing_one_always_is()
    {
        var inner = new CountingValidator();
        var validator = new MemoizingConfigValidator(inner);
        var route = new RouteConfig { RouteId = "r", ClusterId = "c", Match = new RouteMatch { Path = "/" } };
        var bad = new RouteConfig { RouteId = "bad" };
        var cluster = new ClusterConfig { ClusterId = "c" };

        for (var i = 0; i < 3; i++)
        {
            Assert.Empty(await validator.ValidateRouteAsync(route));
            Assert.NotEmpty(await validator.ValidateRouteAsync(bad));
            Assert.Empty(await validator.ValidateClusterAsync(cluster));
        }

        // An equal but different object is validated: only identity proves it is the one that passed.
        Assert.Empty(await validator.ValidateRouteAsync(route with { }));
        Assert.Equal(["r", "bad", "c", "bad", "bad", "r"], inner.Calls);
    }

    private sealed class CountingValidator : IConfigValidator
    {
        public List<string> Calls { get; } = [];

        public ValueTask<IList<Exception>> ValidateRouteAsync(RouteConfig route)
        {
            Calls.Add(route.RouteId);
            return ValueTask.FromResult<IList<Exception>>(route.Match is null ? [new ArgumentException("no match")] : []);
        }

        public ValueTask<IList<Exception>> ValidateClusterAsync(ClusterConfig cluster)
        {
            Calls.Add(cluster.ClusterId);
            return ValueTask.FromResult<IList<Exception>>([]);
        }
    }
}
