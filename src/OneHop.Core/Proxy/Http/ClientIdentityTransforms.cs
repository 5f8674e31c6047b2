using System.Globalization;
using OneHop.Core.Configuration;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// Tells pods who the client is: X-Forwarded-For/Proto/Host/Prefix (YARP's transforms), X-Forwarded-Port (YARP has
/// none: the port the client connected to, the original one behind PROXY protocol) and RFC 7239 Forwarded, each set,
/// appended or left alone as configured; when only one family is on, the client's copy of the other is removed. Built
/// here rather than from YARP's route transform keys because those make the two families exclusive (enabling one
/// strips the other) while operators migrating from nginx often need both.
/// </summary>
internal sealed class ClientIdentityTransforms : ITransformProvider
{
    private const string PortHeader = "X-Forwarded-Port";
    private const string ForwardedHeader = "Forwarded";
    private static readonly string[] XForwardedHeaders = ["X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Forwarded-Prefix", PortHeader];

    public void ValidateRoute(TransformRouteValidationContext context)
    {
    }

    public void ValidateCluster(TransformClusterValidationContext context)
    {
    }

    public void Apply(TransformBuilderContext context)
    {
        var x = Action(context, ProxyMetadata.ForwardedAction);
        var rfc = Action(context, ProxyMetadata.RfcForwardedAction);
        context.UseDefaultForwarders = false;
        if (x != ForwardedTransformActions.Off)
        {
            context.AddXForwarded(x, removeForwardedHeader: false);
            context.AddRequestTransform(x == ForwardedTransformActions.Append ? AppendPort : SetPort);
        }

        if (rfc != ForwardedTransformActions.Off)
        {
            context.AddForwarded(useHost: true, useProto: true, forFormat: NodeFormat.IpAndPort, byFormat: NodeFormat.None, action: rfc, removeAllXForwardedHeaders: false);
        }

        // When OneHop vouches for one family, a pod may trust the other as much: the client's copy must not reach it
        // (Spring's ForwardedHeaderFilter prefers Forwarded, so a spoofed one would win over OneHop's X-Forwarded-For).
        // With both off the operator passes both on as sent, e.g. from a trusted proxy in front.
        if (x != ForwardedTransformActions.Off && rfc == ForwardedTransformActions.Off)
        {
            context.AddRequestHeaderRemove(ForwardedHeader);
        }
        else if (rfc != ForwardedTransformActions.Off && x == ForwardedTransformActions.Off)
        {
            foreach (var header in XForwardedHeaders)
            {
                context.AddRequestHeaderRemove(header);
            }
        }
    }

    private static ForwardedTransformActions Action(TransformBuilderContext context, string key) =>
        context.Route.Metadata?.TryGetValue(key, out var text) == true && Enum.TryParse<ForwardedAction>(text, out var action)
            ? action switch
            {
                ForwardedAction.Set => ForwardedTransformActions.Set,
                ForwardedAction.Append => ForwardedTransformActions.Append,
                _ => ForwardedTransformActions.Off,
            }
            : ForwardedTransformActions.Off;

    private static ValueTask SetPort(RequestTransformContext transform)
    {
        var headers = transform.ProxyRequest.Headers;
        headers.Remove(PortHeader);
        headers.TryAddWithoutValidation(PortHeader, Port(transform));
        return ValueTask.CompletedTask;
    }

    private static ValueTask AppendPort(RequestTransformContext transform)
    {
        var headers = transform.ProxyRequest.Headers;
        var port = Port(transform);
        if (headers.TryGetValues(PortHeader, out var values))
        {
            port = $"{string.Join(", ", values)}, {port}";
            headers.Remove(PortHeader);
        }

        headers.TryAddWithoutValidation(PortHeader, port);
        return ValueTask.CompletedTask;
    }

    private static string Port(RequestTransformContext transform) =>
        transform.HttpContext.Connection.LocalPort.ToString(CultureInfo.InvariantCulture);
}
