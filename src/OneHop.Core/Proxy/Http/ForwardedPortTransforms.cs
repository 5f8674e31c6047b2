using System.Globalization;
using OneHop.Core.Sources.Config;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// Adds X-Forwarded-Port (YARP's X-Forwarded transform covers For, Proto, Host and Prefix only): the port the
/// client connected to — the listener's, or the original one behind PROXY protocol — set or appended like the rest.
/// </summary>
internal sealed class ForwardedPortTransforms : ITransformProvider
{
    private const string Header = "X-Forwarded-Port";

    public void ValidateRoute(TransformRouteValidationContext context)
    {
    }

    public void ValidateCluster(TransformClusterValidationContext context)
    {
    }

    public void Apply(TransformBuilderContext context)
    {
        if (context.Route.Metadata?.TryGetValue(ProxyMetadata.ForwardedAction, out var text) != true
            || !Enum.TryParse<ForwardedAction>(text, out var action) || action == ForwardedAction.Off)
        {
            return;
        }

        var append = action == ForwardedAction.Append;
        context.AddRequestTransform(transform =>
        {
            var port = transform.HttpContext.Connection.LocalPort.ToString(CultureInfo.InvariantCulture);
            var headers = transform.ProxyRequest.Headers;
            var existing = append && headers.TryGetValues(Header, out var values) ? string.Join(", ", values) : null;
            headers.Remove(Header);
            headers.TryAddWithoutValidation(Header, existing is null ? port : $"{existing}, {port}");
            return ValueTask.CompletedTask;
        });
    }
}
