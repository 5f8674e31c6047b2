using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// Sends the pod the path and query exactly as the client sent them (<see cref="RawTargets"/>) rather than YARP's
/// re-encoding of the decoded path. Safe to pass on uncanonicalized: Kestrel admits no whitespace or control
/// character in a target, <see cref="RequestGateMiddleware"/> refused invalid escapes and paths above the root, and
/// anything outside printable ASCII is percent-encoded here. A future path rewrite must start from the raw target too.
/// </summary>
internal sealed class RawTargetTransforms : ITransformProvider
{
    private static readonly UriCreationOptions AsSent = new() { DangerousDisablePathAndQueryCanonicalization = true };

    public void ValidateRoute(TransformRouteValidationContext context)
    {
    }

    public void ValidateCluster(TransformClusterValidationContext context)
    {
    }

    public void Apply(TransformBuilderContext context) => context.AddRequestTransform(static transform =>
    {
        var target = RawTargets.PathAndQuery(transform.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget);
        if (!target.IsEmpty)
        {
            var prefix = transform.DestinationPrefix.AsSpan().TrimEnd('/');
            transform.ProxyRequest.RequestUri = new Uri(string.Concat(prefix, Printable(target)), in AsSent);
        }

        return ValueTask.CompletedTask;
    });

    /// <summary>The target with every character outside printable ASCII, and '#', percent-encoded as UTF-8.</summary>
    private static ReadOnlySpan<char> Printable(ReadOnlySpan<char> target)
    {
        if (!target.ContainsAnyExceptInRange('!', '~') && !target.Contains('#'))
        {
            return target;
        }

        var escaped = new StringBuilder(target.Length + 16);
        Span<byte> bytes = stackalloc byte[4];
        foreach (var rune in target.EnumerateRunes())
        {
            if (rune.Value is > ' ' and < 0x7F and not '#')
            {
                escaped.Append((char)rune.Value);
                continue;
            }

            var length = rune.EncodeToUtf8(bytes);
            foreach (var b in bytes[..length])
            {
                escaped.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return escaped.ToString();
    }
}
