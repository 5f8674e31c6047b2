using System.Buffers;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using OneHop.Core.Configuration;
using OneHop.Core.Proxy.Http1;
using Yarp.ReverseProxy.Forwarder;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// How a request and its answer change on the way through YARP's forwarder: the pod sees the Host the client asked
/// for (as behind nginx or HAProxy), the path and query exactly as sent (<see cref="RawTargets"/>; YARP would re-encode
/// the decoded path: <c>/api%2Fx</c> arrived as <c>/api%252Fx</c>), and who the client is (<see cref="ClientIdentity"/>);
/// a 502/503 is held back when the attempt may be retried. One instance per forwarded-headers setting.
/// </summary>
internal sealed class ForwardingTransformer(ForwardedHeadersConfig forwarded, bool errorPages = false) : HttpTransformer
{
    private ForwardingTransformer? _withErrorPages;

    private static readonly SearchValues<char> Visible = SearchValues.Create(string.Concat(Enumerable.Range('!', '~' - '!' + 1).Select(c => (char)c)));

    private static readonly UriCreationOptions AsSent = new() { DangerousDisablePathAndQueryCanonicalization = true };
    private static readonly string[] IdentityHeaders =
        [ClientIdentity.For, ClientIdentity.Proto, ClientIdentity.Host, ClientIdentity.Port, ClientIdentity.Prefix, ClientIdentity.Forwarded, ClientIdentity.RealIp];

    public ForwardedHeadersConfig Forwarded => forwarded;

    /// <summary>This transformer for routes with error pages: it also holds back the 4xx answers the request's error pages replace.</summary>
    public ForwardingTransformer WithErrorPages => errorPages ? this : _withErrorPages ??= new ForwardingTransformer(forwarded, errorPages: true);

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken).ConfigureAwait(false);
        var headers = proxyRequest.Headers;
        foreach (var name in IdentityHeaders)
        {
            if (ClientIdentity.Skips(name, forwarded))
            {
                headers.Remove(name);
            }
        }

        ClientIdentity.Write(httpContext, forwarded, headers, static (h, name, value) => h.TryAddWithoutValidation(name, value));
        headers.Host = httpContext.Request.Host.Value;
        if (Tracing.TraceContext.Attempt is { } attempt)
        {
            headers.Remove(Tracing.TraceContext.Parent);
            headers.Remove(Tracing.TraceContext.State);
            headers.TryAddWithoutValidation(Tracing.TraceContext.Parent, attempt.Id);
            if (attempt.TraceStateString is { Length: > 0 } state)
            {
                headers.TryAddWithoutValidation(Tracing.TraceContext.State, state);
            }
        }

        // Safe to pass on uncanonicalized: Kestrel admits no whitespace or control character in a target, the request
        // gate refused invalid escapes and paths above the root, and what is not printable ASCII is escaped here.
        var target = RawTargets.PathAndQuery(httpContext.Features.Get<IHttpRequestFeature>()?.RawTarget);
        if (!target.IsEmpty)
        {
            proxyRequest.RequestUri = new Uri(string.Concat(destinationPrefix.AsSpan().TrimEnd('/'), Printable(target)), in AsSent);
        }
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        var proceed = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken).ConfigureAwait(false);
        if (proxyResponse is { } answer && answer.StatusCode >= (errorPages ? HttpStatusCode.BadRequest : HttpStatusCode.InternalServerError)
            && httpContext.Features.Get<ProxyRequest>() is { } request
            && request.HoldsBack((int)answer.StatusCode))
        {
            // Not a byte to the client: the request is tried again (typically on another pod, this one shutting down), or
            // the route's error page answers instead.
            return false;
        }

        return proceed;
    }

    /// <summary>The target with every character outside printable ASCII, and '#', percent-encoded as UTF-8.</summary>
    private static ReadOnlySpan<char> Printable(ReadOnlySpan<char> target)
    {
        if (!target.ContainsAnyExcept(Visible) && !target.Contains('#'))
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
