using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Health;

namespace OneHop.Core.Health;

/// <summary>Registers OneHop's health-flag layer on YARP's health seams.</summary>
internal static class HealthRegistration
{
    public static IServiceCollection AddOneHopHealth(this IServiceCollection services) => services
        .AddSingleton<IPassiveHealthCheckPolicy, OutlierDetector>()
        .AddSingleton<IActiveHealthCheckPolicy, ProbeThresholdPolicy>();
}
