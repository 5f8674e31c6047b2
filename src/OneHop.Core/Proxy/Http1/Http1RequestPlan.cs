using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace OneHop.Core.Proxy.Http1;

/// <summary>What one request will look like to the endpoint: method, target, body framing, upgrade, 100-continue.</summary>
internal readonly struct Http1RequestPlan
{
    // SearchValues, not ContainsAnyExceptInRange: the generic range search boxed every char (seen in allocation traces).
    private static readonly SearchValues<char> TargetChars = SearchValues.Create(string.Concat(Enumerable.Range(0x21, 0xFF - 0x21 + 1).Select(c => (char)c)));

    private Http1RequestPlan(string method, string target, Http1RequestBody body, long contentLength, bool upgrade, bool expectContinue)
    {
        Method = method;
        Target = target;
        Body = body;
        ContentLength = contentLength;
        IsUpgrade = upgrade;
        ExpectContinue = expectContinue;
    }

    public string Method { get; }

    /// <summary>The request target as the client sent it (origin-form; <c>*</c> for <c>OPTIONS *</c>).</summary>
    public string Target { get; }

    public Http1RequestBody Body { get; }

    /// <summary>The client's Content-Length, or -1 without one.</summary>
    public long ContentLength { get; }

    /// <summary>An upgrade request (WebSocket): Upgrade and Connection go out and a 101 turns into a tunnel.</summary>
    public bool IsUpgrade { get; }

    /// <summary>The client asked for <c>100-continue</c> and there is a body to hold back.</summary>
    public bool ExpectContinue { get; }

    /// <summary>True when the endpoint's answer has no body whatever its head says (RFC 9112 §6.3).</summary>
    public bool IsHead => HttpMethods.IsHead(Method);

    /// <summary>The plan of the request of <paramref name="context"/>; false for one HTTP/1.1 cannot carry (CONNECT, an authority-form target).</summary>
    public static bool TryCreate(HttpContext context, out Http1RequestPlan plan)
    {
        plan = default;
        var request = context.Request;
        var method = request.Method;
        if (HttpMethods.IsConnect(method) || !Http1Syntax.IsToken(method))
        {
            return false;
        }

        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        string target;
        if (!string.IsNullOrEmpty(raw) && raw[0] == '/')
        {
            target = raw;
        }
        else if (raw == "*" && HttpMethods.IsOptions(method))
        {
            target = raw;
        }
        else
        {
            // Absolute-form (a client talking to OneHop as to a proxy): the endpoint gets the path and query part.
            var pathAndQuery = RawTargets.PathAndQuery(raw);
            if (pathAndQuery.IsEmpty)
            {
                return false;
            }

            target = pathAndQuery.ToString();
        }

        if (target.AsSpan().ContainsAny(' ', '\r', '\n') || target.AsSpan().ContainsAnyExcept(TargetChars))
        {
            return false;
        }

        var upgrade = context.Features.Get<IHttpUpgradeFeature>()?.IsUpgradableRequest == true;
        var contentLength = request.ContentLength ?? -1;
        var canHaveBody = context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? contentLength > 0;
        var body = upgrade ? Http1RequestBody.None
            : contentLength >= 0 ? Http1RequestBody.ContentLength
            : canHaveBody ? Http1RequestBody.Chunked
            : Http1RequestBody.None;
        var expectContinue = body != Http1RequestBody.None && contentLength != 0 && Asks100Continue(request.Headers.Expect);
        plan = new Http1RequestPlan(method, target, body, upgrade ? -1 : contentLength, upgrade, expectContinue);
        return true;
    }

    private static bool Asks100Continue(Microsoft.Extensions.Primitives.StringValues expect)
    {
        foreach (var value in expect)
        {
            if (string.Equals(value?.Trim(), "100-continue", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
