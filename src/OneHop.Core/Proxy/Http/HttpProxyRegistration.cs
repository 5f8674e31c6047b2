using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OneHop.Core.Balancing;
using OneHop.Core.Health;
using OneHop.Core.Telemetry;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;

namespace OneHop.Core.Proxy.Http;

/// <summary>Wires OneHop's HTTP data plane into an ASP.NET Core app, through YARP's extension points only.</summary>
internal static class HttpProxyRegistration
{
    public static IServiceCollection AddOneHopHttpProxy(this IServiceCollection services, HttpDataPlane dataPlane, RouteTableRegistry tables, SnapshotCatalog catalog, ProxyMetrics metrics)
    {
        services.AddSingleton(dataPlane);
        services.AddSingleton(catalog);
        services.AddSingleton(tables);
        services.AddSingleton(metrics);
        services.AddSingleton<IConfigChangeListener>(dataPlane);
        services.AddSingleton<IProxyConfigProvider>(dataPlane.ConfigProvider);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new EndpointRuntimeRegistry(sp.GetRequiredService<TimeProvider>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<MatcherPolicy, RouteTableMatcherPolicy>());
        services.AddSingleton<IAvailableDestinationsPolicy, ReadyFirstDestinationsPolicy>();
        services.AddSingleton<IForwarderHttpClientFactory, OneHopHttpClientFactory>();
        services.AddOneHopBalancing();
        services.AddReverseProxy();
        MemoizeValidation(services);

        // YARP asks for data protection (cookie affinity); OneHop's affinity cookies are its own, so keys need not persist.
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        return services;
    }

    /// <summary>Wraps the validator AddReverseProxy registered (an internal YARP type) in <see cref="MemoizingConfigValidator"/>.</summary>
    private static void MemoizeValidation(IServiceCollection services)
    {
        var yarp = services.Last(d => d.ServiceType == typeof(IConfigValidator));
        if (yarp.ImplementationType is not { } type)
        {
            throw new InvalidOperationException("YARP's IConfigValidator registration changed; MemoizingConfigValidator cannot wrap it.");
        }

        services.Remove(yarp);
        services.AddSingleton<IConfigValidator>(sp => new MemoizingConfigValidator((IConfigValidator)ActivatorUtilities.CreateInstance(sp, type)));
    }
}
