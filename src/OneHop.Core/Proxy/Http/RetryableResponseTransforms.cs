using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// Adds to every route a response transform that holds back a 502/503 from a pod (typically one shutting down)
/// when the retry loop says this attempt may be retried: the body is not copied and the response not started, so
/// the request can still go to another pod.
/// </summary>
internal sealed class RetryableResponseTransforms : ITransformProvider
{
    public void ValidateRoute(TransformRouteValidationContext context)
    {
    }

    public void ValidateCluster(TransformClusterValidationContext context)
    {
    }

    public void Apply(TransformBuilderContext context) => context.AddResponseTransform(static transform =>
    {
        if (transform.ProxyResponse is { StatusCode: System.Net.HttpStatusCode.BadGateway or System.Net.HttpStatusCode.ServiceUnavailable }
            && transform.HttpContext.Features.Get<RetryAttempt>() is { MayRetryResponse: true } attempt)
        {
            transform.SuppressResponseBody = true;
            attempt.Suppressed = true;
        }

        return ValueTask.CompletedTask;
    });
}
