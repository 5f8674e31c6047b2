using System.Collections.Frozen;
using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Caching.Memory;
using OneHop.Core.Concurrency;
using OneHop.Core.Health;
using OneHop.Core.Telemetry.AccessLog;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// ingress-nginx's external authentication (nginx's <c>auth_request</c>), with the headers ingress-nginx's template
/// sends: before a request is forwarded, its headers without its body go to the route's auth URL; a 2xx lets it through
/// with the listed answer headers set on it, 401 and 403 are answered to the client (a 401 as a 302 to the sign-in URL
/// when there is one), and any other answer, a timeout or an unreachable service is answered 500.
/// One pooled client for every route: auth services are few, and each keeps its connections warm.
/// </summary>
/// <param name="time">The clock of the subrequest's timeout and of the kept answers' expiry.</param>
/// <param name="metrics">Where checks are counted (<c>onehop_http_auth_checks_total</c>); none in tests that do not look.</param>
internal sealed class ExternalAuthorizer(TimeProvider time, ProxyMetrics? metrics = null) : IDisposable
{
    /// <summary>The most answers auth-cache-key keeps at once, over every route.</summary>
    public const int MostKeptAnswers = 10_000;

    /// <summary>Hop-by-hop headers, and the body's, which the subrequest does not have (nginx clears Content-Length).</summary>
    private static readonly FrozenSet<string> NotCopied = FrozenSet.ToFrozenSet(
        ["Host", "Connection", "Keep-Alive", "Proxy-Connection", "Proxy", "Transfer-Encoding", "Upgrade", "TE", "Trailer", "Content-Length", "Expect"],
        StringComparer.OrdinalIgnoreCase);

    /// <summary>The statuses nginx's <c>add_header</c> applies to without <c>always</c>: where the auth service's Set-Cookie goes.</summary>
    private static readonly FrozenSet<int> AddHeaderStatuses = FrozenSet.ToFrozenSet([200, 201, 204, 206, 301, 302, 303, 304, 307, 308]);

    /// <summary>
    /// auth-cache-key's kept answers, by route, URL and key. Bounded: at most <see cref="MostKeptAnswers"/>, a new
    /// answer past that is not kept while the cache compacts (nginx's auth_cache zone holds ~80,000 keys in 10 MB).
    /// </summary>
    private readonly MemoryCache _answers = new(new MemoryCacheOptions { SizeLimit = MostKeptAnswers, Clock = new TimeProviderClock(time) });

    // As ingress-nginx's auth location: HTTP/1.1, no redirects followed (a 3xx is not a 2xx), nothing decoded, and the
    // service's certificate not verified (proxy_ssl_verify is off there too). Connect within nginx's 5 s default.
    private readonly HttpMessageInvoker _client = new(
        new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ActivityHeadersPropagator = null,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
#pragma warning disable CA5359 // the point: ingress-nginx does not verify auth-url's certificate, and users rely on that
            SslOptions = { RemoteCertificateValidationCallback = static (_, _, _, _) => true },
#pragma warning restore CA5359
        },
        disposeHandler: true);

    /// <summary>
    /// Asks the route's auth service about the request, or reuses its answer to an earlier request with the same
    /// auth-cache-key. True: let it through (the answer's headers are on it now). False: the client's answer (401,
    /// 403, 302 or 500) is written.
    /// </summary>
    public async Task<bool> AuthorizeAsync(HttpContext context, ExternalAuthCheck check, IRandomSource random)
    {
        var cacheKey = check.CacheKey is { } key ? check.CacheSpace + key.Expand(RequestVariables.Value, context) : null;
        if (cacheKey is not null && _answers.TryGetValue(cacheKey, out AuthAnswer? kept) && kept is not null)
        {
            metrics?.AuthChecked(kept.Meaning, fromCache: true);
            context.Features.Get<HttpAccessRecord>()?.Auth = "cache";
            return await ApplyAsync(context, check, kept);
        }

        var auth = check.Auth;
        using var subrequest = Subrequest(context, check, random, out var problem);
        if (subrequest is null)
        {
            metrics?.AuthChecked(AuthAnswer.Failed, fromCache: false);
            await ErrorResponses.WriteAsync(context, StatusCodes.Status500InternalServerError, ErrorCodes.AuthFailed, problem!);
            return false;
        }

        var asked = time.GetTimestamp();

        using var timeout = new CancellationTokenSource(auth.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, timeout.Token);
        AuthAnswer answer;
        try
        {
            using var response = await _client.SendAsync(subrequest, linked.Token);
            answer = AuthAnswer.Of(response, auth.ResponseHeaders);
            if (cacheKey is not null && AuthAnswer.Lifetime(response, auth.Cache!, time.GetUtcNow()) is { } lifetime)
            {
                _answers.Set(cacheKey, answer, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = lifetime, Size = 1 });
            }
        }
        catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
        {
            Count(context, AuthAnswer.Failed, asked);
            await ErrorResponses.WriteAsync(context, StatusCodes.Status500InternalServerError, ErrorCodes.AuthFailed, $"the authentication service did not answer within {auth.Timeout.TotalSeconds:0.###} s");
            return false;
        }
        catch (HttpRequestException e)
        {
            Count(context, AuthAnswer.Failed, asked);
            await ErrorResponses.WriteAsync(context, StatusCodes.Status500InternalServerError, ErrorCodes.AuthFailed, $"the authentication service could not be reached: {e.Message}");
            return false;
        }

        Count(context, answer.Meaning, asked);
        return await ApplyAsync(context, check, answer);
    }

    /// <summary>A subrequest asked at <paramref name="asked"/> ended, its answer meaning <paramref name="meaning"/>: metrics and the access log.</summary>
    private void Count(HttpContext context, string meaning, long asked)
    {
        var seconds = time.GetElapsedTime(asked).TotalSeconds;
        metrics?.AuthAsked(meaning, seconds);
        metrics?.AuthChecked(meaning, fromCache: false);
        if (context.Features.Get<HttpAccessRecord>() is { } record)
        {
            (record.Auth, record.AuthTime) = ("service", seconds);
        }
    }

    public void Dispose()
    {
        _client.Dispose();
        _answers.Dispose();
    }

    /// <summary>What the service's answer means for the request: through with its headers, or the client's answer.</summary>
    private static async Task<bool> ApplyAsync(HttpContext context, ExternalAuthCheck check, AuthAnswer answer)
    {
        var auth = check.Auth;
        if (answer.Cookies is { } cookies)
        {
            SetCookies(context.Response, cookies, auth.AlwaysSetCookie);
        }

        switch (answer.Status)
        {
            case >= 200 and < 300:
                PassHeaders(context.Request.Headers, answer);
                return true;
            case StatusCodes.Status401Unauthorized when check.Signin is { } signin:
                SigninRedirect(context, signin.Expand(RequestVariables.Value, context), auth.SigninRedirectParam);
                return false;
            case StatusCodes.Status401Unauthorized:
                await ErrorResponses.WriteAsync(context, answer.Status, ErrorCodes.Unauthorized, "the authentication service refused this request", challenge: answer.Challenge);
                return false;
            case StatusCodes.Status403Forbidden:
                await ErrorResponses.WriteAsync(context, answer.Status, ErrorCodes.AuthForbidden, "the authentication service forbids this request");
                return false;
            default:
                await ErrorResponses.WriteAsync(context, StatusCodes.Status500InternalServerError, ErrorCodes.AuthFailed, $"the authentication service answered {answer.Status}; only 2xx, 401 and 403 have a meaning");
                return false;
        }
    }

    /// <summary>The subrequest: the client's headers, no body, and the headers ingress-nginx's auth location sets; null with why when there is nowhere to send it.</summary>
    private static HttpRequestMessage? Subrequest(HttpContext context, ExternalAuthCheck check, IRandomSource random, out string? problem)
    {
        problem = null;
        var auth = check.Auth;
        var expanded = check.Url.Expand(RequestVariables.Value, context);
        if (!Uri.TryCreate(expanded, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            problem = $"auth-url {expanded} is not an http or https URL for this request";
            return null;
        }

        var target = url;
        if (check.Backend is { } backend)
        {
            var available = backend.Available();
            if (available.Count == 0)
            {
                problem = backend.Backend.Problem ?? $"no ready endpoints for the authentication service {backend.Name}";
                return null;
            }

            // One hop to a pod of the Service the URL names; Host (and with it SNI) stays the URL's.
            target = new Uri($"{url.Scheme}://{available[random.Next(available.Count)].Id}{url.PathAndQuery}");
        }

        var request = context.Request;
        var message = new HttpRequestMessage(new HttpMethod(auth.Method ?? HttpMethods.Get), target)
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        foreach (var (name, values) in request.Headers)
        {
            if (!NotCopied.Contains(name))
            {
                message.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values); // content headers are refused: there is no body
            }
        }

        var client = context.Connection.RemoteIpAddress?.ToString() ?? string.Empty;
        var requestUri = RequestVariables.RequestUri(context);
        message.Headers.Host = url.Authority;
        Set(message, "X-Original-URL", $"{request.Scheme}://{request.Host.Value}{requestUri}");
        Set(message, "X-Original-Method", request.Method);
        Set(message, "X-Sent-From", "nginx-ingress-controller");
        Set(message, "X-Real-IP", client);
        Set(message, "X-Forwarded-For", client);
        Set(message, "X-Auth-Request-Redirect", check.RequestRedirect?.Expand(RequestVariables.Value, context) ?? requestUri);
        if (auth.Method is not null)
        {
            Set(message, "X-Original-URI", requestUri);
            Set(message, "X-Scheme", request.Scheme);
        }

        foreach (var (name, template) in check.RequestHeaders)
        {
            // nginx's proxy_set_header with an empty value sends no such header.
            var value = template.Expand(RequestVariables.Value, context);
            if (value.Length > 0)
            {
                Set(message, name, value);
            }
            else
            {
                message.Headers.Remove(name);
            }
        }

        return message;
    }

    /// <summary>
    /// auth-response-headers: each listed header is the auth service's value or absent, never the client's own, as
    /// nginx's <c>proxy_set_header NAME $authHeaderN</c> sends nothing for an empty value.
    /// </summary>
    private static void PassHeaders(IHeaderDictionary headers, AuthAnswer answer)
    {
        foreach (var (name, value) in answer.Passed)
        {
            headers.Remove(name);
            if (value is not null)
            {
                headers[name] = value;
            }
        }
    }

    /// <summary>The auth service's cookies on the client's response, on the statuses nginx's add_header covers (all with auth-always-set-cookie).</summary>
    private static void SetCookies(HttpResponse response, string[] cookies, bool always) =>
        response.OnStarting(
            static state =>
            {
                var (response, cookies, always) = ((HttpResponse, string[], bool))state;
                if (always || AddHeaderStatuses.Contains(response.StatusCode))
                {
                    response.Headers.Append("Set-Cookie", cookies);
                }

                return Task.CompletedTask;
            },
            (response, cookies, always));

    /// <summary>302 to auth-signin with the original URL in its redirect parameter, unless it carries one already (ingress-nginx's buildAuthSignURL).</summary>
    private static void SigninRedirect(HttpContext context, string signin, string param)
    {
        var q = signin.IndexOf('?', StringComparison.Ordinal);
        var query = q < 0 ? string.Empty : signin[(q + 1)..];
        var location = signin;
        if (query.Length == 0 || !QueryHelpers.ParseQuery(query).TryGetValue(param, out var value) || string.IsNullOrEmpty(value))
        {
            var request = context.Request;
            var separator = query.Length == 0 ? (q < 0 ? "?" : string.Empty) : "&";
            location = $"{signin}{separator}{param}={request.Scheme}://{request.Host.Value}{Uri.EscapeDataString(RequestVariables.RequestUri(context))}";
        }

        var response = context.Response;
        response.StatusCode = StatusCodes.Status302Found;
        response.Headers.Location = location;
        response.ContentLength = 0;
    }

    private static void Set(HttpRequestMessage message, string name, string value)
    {
        message.Headers.Remove(name);
        message.Headers.TryAddWithoutValidation(name, value);
    }
}
