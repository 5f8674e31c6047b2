using Microsoft.Extensions.DependencyInjection;
using OneHop.Core.Balancing;
using OneHop.Core.Health;
using OneHop.Core.Proxy.Http.AccessLog;
using OneHop.Core.Proxy.Http.Tracing;

namespace OneHop.Core.Proxy.Http;

/// <summary>Wires OneHop's HTTP data plane into an ASP.NET Core app: its own request handler, YARP's forwarder only.</summary>
internal static class HttpProxyRegistration
{
    public static IServiceCollection AddOneHopHttpProxy(this IServiceCollection services, HttpDataPlane dataPlane, Pickers pickers, OutlierDetector outliers, UpstreamClients clients, LeanAttemptForwarder lean, Http1ForwarderKind http1, ProxyMetrics metrics, HttpAccessLog? accessLog = null, HttpTracing? tracing = null)
    {
        services.AddSingleton(dataPlane);
        services.AddSingleton(dataPlane.Runtimes);
        services.AddSingleton(pickers);
        services.AddSingleton(outliers);
        services.AddSingleton(clients);
        services.AddSingleton(metrics);
        services.AddSingleton(accessLog ?? HttpAccessLog.Off);
        services.AddSingleton(tracing ?? HttpTracing.Off);
        services.AddSingleton<YarpAttemptForwarder>();
        services.AddSingleton(sp => new Forwarders(sp.GetRequiredService<YarpAttemptForwarder>(), lean, http1));
        services.AddSingleton<RequestMirrors>();
        services.AddSingleton<ExternalAuthorizer>();
        services.AddSingleton<ProxyHandler>();
        services.AddHttpForwarder();
        return services;
    }
}
