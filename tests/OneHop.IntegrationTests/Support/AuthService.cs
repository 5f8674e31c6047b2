using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace OneHop.IntegrationTests.Support;

/// <summary>
/// A real authentication service on a loopback address, answering as oauth2-proxy answers ingress-nginx, by the path
/// asked: <c>/ok</c> 200 with X-Auth-Request-User/-Email, X-Not-Listed and a session cookie; <c>/unauthorized</c> 401
/// with a challenge; <c>/forbidden</c> 403; <c>/missing</c> 404; <c>/redirect</c> 302; <c>/slow</c> never answers;
/// <c>/counted?status=S&amp;cc=C</c> status S (200 without it) with X-Auth-Request-User <c>call-N</c>, N the calls so far, and
/// Cache-Control C, no cookie (what auth-cache-key may keep).
/// Every request it got is kept, headers and body size, for the tests to check what was sent.
/// </summary>
internal sealed class AuthService : IAsyncDisposable
{
    private readonly WebApplication _app;

    private AuthService(WebApplication app, string address)
    {
        _app = app;
        Address = address;
    }

    public string Address { get; }

    public int Port { get; private set; }

    public ConcurrentQueue<AuthCall> Calls { get; } = new();

    public static async Task<AuthService> StartAsync(CancellationToken cancellationToken)
    {
        var address = LoopbackAddresses.Next();
        var service = new AuthService(KestrelApps.Create(address, 0), address);
        service._app.Run(service.AnswerAsync);
        service.Port = await KestrelApps.StartAsync(service._app, cancellationToken);
        return service;
    }

    /// <summary>The last request whose X-Original-URL ends with <paramref name="suffix"/>.</summary>
    public AuthCall Last(string suffix) =>
        Calls.LastOrDefault(c => c.Header("X-Original-URL")?.EndsWith(suffix, StringComparison.Ordinal) == true)
        ?? throw new InvalidOperationException($"no call for {suffix}; got {string.Join(", ", Calls.Select(c => c.Header("X-Original-URL")))}");

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task AnswerAsync(HttpContext context)
    {
        var request = context.Request;
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, context.RequestAborted);
        Calls.Enqueue(new AuthCall(request.Method, request.Path + request.QueryString, request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body.Length));
        var response = context.Response;
        switch (request.Path.Value)
        {
            case "/ok":
                response.Headers["X-Auth-Request-User"] = "alice";
                response.Headers["X-Auth-Request-Email"] = "alice@example.com";
                response.Headers["X-Not-Listed"] = "secret";
                response.Headers.SetCookie = "_oauth2_proxy=session; Path=/; HttpOnly";
                response.StatusCode = 202;
                break;
            case "/unauthorized":
                response.Headers.WWWAuthenticate = "Bearer realm=\"test\"";
                response.Headers.SetCookie = "_oauth2_proxy_csrf=token; Path=/";
                response.StatusCode = 401;
                break;
            case "/forbidden":
                response.StatusCode = 403;
                break;
            case "/redirect":
                response.Headers.Location = "https://login.example.com/";
                response.StatusCode = 302;
                break;
            case "/counted":
                response.Headers["X-Auth-Request-User"] = $"call-{Calls.Count}";
                response.Headers.CacheControl = request.Query["cc"];
                response.StatusCode = int.TryParse(request.Query["status"], out var status) ? status : 200;
                if (response.StatusCode == 401)
                {
                    response.Headers.WWWAuthenticate = "Basic realm=\"counted\"";
                }

                break;
            case "/slow":
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
                break;
            default:
                response.StatusCode = 404;
                break;
        }
    }
}

/// <summary>One request the <see cref="AuthService"/> got.</summary>
internal sealed record AuthCall(string Method, string Target, Dictionary<string, string> Headers, long BodyLength)
{
    public string? Header(string name) => Headers.GetValueOrDefault(name);
}
