using Microsoft.Extensions.DependencyInjection;
using OneHop.Core.Configuration;
using OneHop.Core.Health;
using OneHop.Core.Proxy.Http;
using OneHop.Core.Routing;
using OneHop.Core.Tests.Routing;
using Yarp.ReverseProxy.Configuration;

namespace OneHop.Core.Tests.Proxy.Http;

/// <summary>YARP must accept every config OneHop builds: its own validator checks routes, clusters and transforms.</summary>
public sealed class YarpConfigBuilderTests
{
    public static TheoryData<string> Cases() => TranslatorGoldenTests.Cases();

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task YARP_accepts_the_config_built_from_every_golden_snapshot(string name)
    {
        foreach (var forwarded in new[] { new ForwardedHeadersConfig(), new ForwardedHeadersConfig(ForwardedAction.Append, ForwardedAction.Set), new ForwardedHeadersConfig(ForwardedAction.Off, ForwardedAction.Append) })
        {
            var config = OneHopConfig.Default with { ForwardedHeaders = forwarded, Topology = new TopologySettings("zone-a", 0.5) };
            var snapshot = GoldenCase.Run(name).Result.Snapshot;
            var (routes, clusters) = (YarpConfigBuilder.Routes(new RouteTable(snapshot), 7, config), YarpConfigBuilder.Clusters(snapshot, config, previous: null));

            await using var services = Services();
            var validator = services.GetRequiredService<IConfigValidator>();
            foreach (var route in routes)
            {
                Assert.Empty(await validator.ValidateRouteAsync(route));
            }

            foreach (var cluster in clusters)
            {
                Assert.Empty(await validator.ValidateClusterAsync(cluster));
            }
        }
    }

    private static ServiceProvider Services()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(new SnapshotCatalog());
        services.AddSingleton(new OneHop.Core.Telemetry.ProxyMetrics(Prometheus.Metrics.NewCustomRegistry()));
        services.AddSingleton(new EndpointRuntimeRegistry(TimeProvider.System));
        services.AddSingleton<Microsoft.AspNetCore.Hosting.IWebHostEnvironment, TestEnvironment>();
        services.AddOneHopHealth().AddOneHopRetries();
        services.AddSingleton<Yarp.ReverseProxy.Health.IAvailableDestinationsPolicy, ReadyFirstDestinationsPolicy>();
        services.AddReverseProxy();
        OneHop.Core.Balancing.BalancingRegistration.AddOneHopBalancing(services);
        return services.BuildServiceProvider();
    }

    private sealed class TestEnvironment : Microsoft.AspNetCore.Hosting.IWebHostEnvironment
    {
        public string WebRootPath { get; set; } = AppContext.BaseDirectory;

        public Microsoft.Extensions.FileProviders.IFileProvider WebRootFileProvider { get; set; } = new Microsoft.Extensions.FileProviders.NullFileProvider();

        public string ApplicationName { get; set; } = "tests";

        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = new Microsoft.Extensions.FileProviders.NullFileProvider();

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public string EnvironmentName { get; set; } = "Production";
    }
}
