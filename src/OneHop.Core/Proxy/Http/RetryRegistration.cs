using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Transforms.Builder;

namespace OneHop.Core.Proxy.Http;

/// <summary>Registers OneHop's additions to YARP's transform pipeline (retryable responses, client identity headers, the raw target) and per-route timeouts.</summary>
internal static class RetryRegistration
{
    public static IServiceCollection AddOneHopRetries(this IServiceCollection services)
    {
        services.AddSingleton<ITransformProvider, RetryableResponseTransforms>();
        services.AddSingleton<ITransformProvider, ClientIdentityTransforms>();
        services.AddSingleton<ITransformProvider, RawTargetTransforms>();
        services.AddRequestTimeouts();
        return services;
    }
}
