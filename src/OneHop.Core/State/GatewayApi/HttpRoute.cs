using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace OneHop.Core.State.GatewayApi;

/// <summary>HTTP routing rules attached to Gateway listeners: matches, filters and weighted backends.</summary>
public sealed class HttpRoute : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = GatewayApiNames.Group + "/v1";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "HTTPRoute";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public HttpRouteSpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    public RouteStatus? Status { get; set; }
}

public sealed class HttpRouteSpec : IRouteSpec
{
    [JsonPropertyName("parentRefs")]
    public IList<ParentReference>? ParentRefs { get; set; }

    [JsonPropertyName("hostnames")]
    public IList<string>? Hostnames { get; set; }

    [JsonPropertyName("rules")]
    public IList<HttpRouteRule>? Rules { get; set; }
}

public sealed class HttpRouteRule
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("matches")]
    public IList<HttpRouteMatch>? Matches { get; set; }

    [JsonPropertyName("filters")]
    public IList<HttpRouteFilter>? Filters { get; set; }

    [JsonPropertyName("backendRefs")]
    public IList<BackendReference>? BackendRefs { get; set; }

    [JsonPropertyName("timeouts")]
    public HttpRouteTimeouts? Timeouts { get; set; }

    /// <summary>The experimental channel's <c>retry</c> (Gateway API v1.3+).</summary>
    [JsonPropertyName("retry")]
    public HttpRouteRetry? Retry { get; set; }
}

public sealed class HttpRouteMatch
{
    [JsonPropertyName("path")]
    public HttpPathMatch? Path { get; set; }

    [JsonPropertyName("headers")]
    public IList<HttpValueMatch>? Headers { get; set; }

    [JsonPropertyName("queryParams")]
    public IList<HttpValueMatch>? QueryParams { get; set; }

    [JsonPropertyName("method")]
    public string? Method { get; set; }
}

public sealed class HttpPathMatch
{
    /// <summary>Exact, PathPrefix (the default) or RegularExpression.</summary>
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("value")]
    public string? Value { get; set; }
}

/// <summary>A header or query parameter match.</summary>
public sealed class HttpValueMatch
{
    /// <summary>Exact (the default) or RegularExpression.</summary>
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("name")]
    public string Name { get; set; } = string.Empty;

    [JsonPropertyName("value")]
    public string Value { get; set; } = string.Empty;
}

public sealed class HttpRouteFilter
{
    /// <summary>RequestHeaderModifier, ResponseHeaderModifier, RequestRedirect, URLRewrite, RequestMirror, CORS or ExtensionRef.</summary>
    [JsonPropertyName("type")]
    public string Type { get; set; } = string.Empty;

    [JsonPropertyName("requestHeaderModifier")]
    public HttpHeaderFilter? RequestHeaderModifier { get; set; }

    [JsonPropertyName("responseHeaderModifier")]
    public HttpHeaderFilter? ResponseHeaderModifier { get; set; }

    [JsonPropertyName("requestRedirect")]
    public HttpRequestRedirectFilter? RequestRedirect { get; set; }

    [JsonPropertyName("urlRewrite")]
    public HttpUrlRewriteFilter? UrlRewrite { get; set; }

    [JsonPropertyName("requestMirror")]
    public HttpRequestMirrorFilter? RequestMirror { get; set; }

    [JsonPropertyName("cors")]
    public HttpCorsFilter? Cors { get; set; }

    [JsonPropertyName("extensionRef")]
    public SecretObjectReference? ExtensionRef { get; set; }
}

/// <summary>The CORS filter (v1.3+): which origins may share the response, and what their preflights are told.</summary>
public sealed class HttpCorsFilter
{
    /// <summary><c>*</c>, or <c>scheme://host[:port]</c> whose host may be <c>*</c> or start with <c>*.</c>.</summary>
    [JsonPropertyName("allowOrigins")]
    public IList<string>? AllowOrigins { get; set; }

    [JsonPropertyName("allowCredentials")]
    public bool? AllowCredentials { get; set; }

    [JsonPropertyName("allowMethods")]
    public IList<string>? AllowMethods { get; set; }

    [JsonPropertyName("allowHeaders")]
    public IList<string>? AllowHeaders { get; set; }

    [JsonPropertyName("exposeHeaders")]
    public IList<string>? ExposeHeaders { get; set; }

    /// <summary>Seconds a preflight's answer may be cached; 5 when unset, as the spec's default.</summary>
    [JsonPropertyName("maxAge")]
    public int? MaxAge { get; set; }
}

public sealed class HttpHeaderFilter
{
    [JsonPropertyName("set")]
    public IList<HttpHeader>? Set { get; set; }

    [JsonPropertyName("add")]
    public IList<HttpHeader>? Add { get; set; }

    [JsonPropertyName("remove")]
    public IList<string>? Remove { get; set; }
}

public sealed class HttpHeader
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = string.Empty;

    [JsonPropertyName("value")]
    public string Value { get; set; } = string.Empty;
}

public sealed class HttpRequestRedirectFilter
{
    [JsonPropertyName("scheme")]
    public string? Scheme { get; set; }

    [JsonPropertyName("hostname")]
    public string? Hostname { get; set; }

    [JsonPropertyName("path")]
    public HttpPathModifier? Path { get; set; }

    [JsonPropertyName("port")]
    public int? Port { get; set; }

    [JsonPropertyName("statusCode")]
    public int? StatusCode { get; set; }
}

public sealed class HttpUrlRewriteFilter
{
    [JsonPropertyName("hostname")]
    public string? Hostname { get; set; }

    [JsonPropertyName("path")]
    public HttpPathModifier? Path { get; set; }
}

public sealed class HttpPathModifier
{
    /// <summary>ReplaceFullPath or ReplacePrefixMatch.</summary>
    [JsonPropertyName("type")]
    public string Type { get; set; } = string.Empty;

    [JsonPropertyName("replaceFullPath")]
    public string? ReplaceFullPath { get; set; }

    [JsonPropertyName("replacePrefixMatch")]
    public string? ReplacePrefixMatch { get; set; }
}

public sealed class HttpRequestMirrorFilter
{
    [JsonPropertyName("backendRef")]
    public BackendReference BackendRef { get; set; } = new();

    [JsonPropertyName("percent")]
    public int? Percent { get; set; }

    [JsonPropertyName("fraction")]
    public MirrorFraction? Fraction { get; set; }
}

public sealed class MirrorFraction
{
    [JsonPropertyName("numerator")]
    public int Numerator { get; set; }

    [JsonPropertyName("denominator")]
    public int? Denominator { get; set; }
}

public sealed class HttpRouteTimeouts
{
    /// <summary>A Gateway API duration (<c>10s</c>, <c>1m30s</c>, <c>500ms</c>).</summary>
    [JsonPropertyName("request")]
    public string? Request { get; set; }

    [JsonPropertyName("backendRequest")]
    public string? BackendRequest { get; set; }
}

public sealed class HttpRouteRetry
{
    /// <summary>The pod answers to retry (400–599 in the CRD); connection errors are retried without them.</summary>
    [JsonPropertyName("codes")]
    public IList<int>? Codes { get; set; }

    /// <summary>Retries after the first attempt (at least 1); unset leaves it to the implementation.</summary>
    [JsonPropertyName("attempts")]
    public int? Attempts { get; set; }

    /// <summary>A Gateway API duration: the least wait before a retry.</summary>
    [JsonPropertyName("backoff")]
    public string? Backoff { get; set; }
}
