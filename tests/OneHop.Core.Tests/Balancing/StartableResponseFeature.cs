using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace OneHop.Core.Tests.Balancing;

/// <summary>A response feature that keeps OnStarting callbacks and runs them, last registered first, as Kestrel does.</summary>
internal sealed class StartableResponseFeature : HttpResponseFeature
{
    private readonly List<(Func<object, Task> Callback, object State)> _starting = [];

    public override void OnStarting(Func<object, Task> callback, object state) => _starting.Add((callback, state));

    public async Task StartAsync()
    {
        for (var i = _starting.Count - 1; i >= 0; i--)
        {
            await _starting[i].Callback(_starting[i].State);
        }

        _starting.Clear();
    }

    /// <summary>A request (optionally carrying <paramref name="cookie"/>) whose response start the test controls.</summary>
    public static (HttpContext Context, StartableResponseFeature Response) Request(string? cookie = null, bool https = false)
    {
        var context = new DefaultHttpContext();
        var response = new StartableResponseFeature();
        context.Features.Set<IHttpResponseFeature>(response);
        context.Request.IsHttps = https;
        if (cookie is not null)
        {
            context.Request.Headers.Cookie = cookie;
        }

        return (context, response);
    }
}
