using Microsoft.AspNetCore.Http;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// The affinity cookie a request will set, as a request feature. YARP copies the pod's headers onto the response
/// (replacing what is there), so the cookie is appended when the response starts. One callback per request: a retry
/// that lands on another pod updates the value instead of adding a second, stale cookie.
/// </summary>
internal sealed class PendingAffinityCookie
{
    private readonly HttpResponse _response;
    private readonly string _name;
    private readonly bool _secure;

    private PendingAffinityCookie(HttpResponse response, string name, bool secure)
    {
        _response = response;
        _name = name;
        _secure = secure;
    }

    public string Value { get; private set; } = string.Empty;

    public static void Set(HttpContext context, string name, string value)
    {
        var pending = context.Features.Get<PendingAffinityCookie>();
        if (pending is null || pending._name != name)
        {
            pending = new PendingAffinityCookie(context.Response, name, context.Request.IsHttps);
            context.Features.Set(pending);
            context.Response.OnStarting(static state => ((PendingAffinityCookie)state).Write(), pending);
        }

        pending.Value = value;
    }

    private Task Write()
    {
        // Appends to any Set-Cookie the pod sent; Secure only over HTTPS, or browsers would drop it on plain HTTP.
        _response.Cookies.Append(_name, Value, new CookieOptions { Path = "/", HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = _secure });
        return Task.CompletedTask;
    }
}
