using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Transforms.Builder;

namespace OneHop.Core.Proxy.Http;

/// <summary>Registers the parts of retrying that live in YARP's transform pipeline and per-route timeouts.</summary>
internal static class RetryRegistration
{
    public static IServiceCollection AddOneHopRetries(this IServiceCollection services)
    {
        services.AddSingleton<ITransformProvider, RetryableResponseTransforms>();
        services.AddRequestTimeouts();
        return services;
    }
}
