using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OneHop.Core.Configuration.Policies;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// The affinity cookie a request will set, as a request feature. YARP copies the pod's headers onto the response
/// (replacing what is there), so the cookie is appended when the response starts. One callback per request: a retry
/// that lands on another pod updates the value instead of adding a second, stale cookie.
/// </summary>
internal sealed class PendingAffinityCookie
{
    private readonly HttpContext _context;
    private readonly string _name;

    private PendingAffinityCookie(HttpContext context, string name)
    {
        _context = context;
        _name = name;
    }

    public string Value { get; private set; } = string.Empty;

    private AffinityCookieAttributes? Attributes { get; set; }

    public static void Set(HttpContext context, string name, string value, AffinityCookieAttributes? attributes = null)
    {
        var pending = context.Features.Get<PendingAffinityCookie>();
        if (pending is null || pending._name != name)
        {
            pending = new PendingAffinityCookie(context, name);
            context.Features.Set(pending);
            context.Response.OnStarting(static state => ((PendingAffinityCookie)state).Write(), pending);
        }

        pending.Value = value;
        pending.Attributes = attributes;
    }

    /// <summary>The cookie's options: Secure only over HTTPS unless told otherwise, or browsers would drop it on plain HTTP.</summary>
    public static CookieOptions Options(AffinityCookieAttributes? attributes, bool https, DateTimeOffset now) => new()
    {
        Path = attributes?.Path ?? "/",
        HttpOnly = true,
        SameSite = attributes?.SameSite switch { "None" => SameSiteMode.None, "Strict" => SameSiteMode.Strict, _ => SameSiteMode.Lax },
        Secure = attributes?.Secure ?? https,
        Domain = attributes?.Domain,
        MaxAge = attributes?.MaxAgeSeconds is { } maxAge ? TimeSpan.FromSeconds(maxAge) : null,
        Expires = attributes?.ExpiresSeconds is { } expires ? now.AddSeconds(expires) : null,
    };

    private Task Write()
    {
        // Appends to any Set-Cookie the pod sent.
        var time = _context.RequestServices?.GetService<TimeProvider>() ?? TimeProvider.System;
        _context.Response.Cookies.Append(_name, Value, Options(Attributes, _context.Request.IsHttps, time.GetUtcNow()));
        return Task.CompletedTask;
    }
}
