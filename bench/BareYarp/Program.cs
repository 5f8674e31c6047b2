// The bare YARP baseline: every request goes to one upstream through YARP's default pipeline, with an in-memory
// config, HTTP/1.1 keep-alive connections to the upstream (SocketsHttpHandler's pool) and no logging. It is what
// OneHop's data plane would cost with nothing of OneHop's own, so "OneHop ÷ bare YARP" shows OneHop's additions.
//
// bareyarp --http ADDR:PORT --upstream http://ADDR:PORT [--https ADDR:PORT --tls-cert FILE --tls-key FILE]
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 0; i + 1 < args.Length; i += 2)
{
    options[args[i]] = args[i + 1];
}

if (!options.TryGetValue("--http", out var http) || !options.TryGetValue("--upstream", out var upstream))
{
    Console.Error.WriteLine("usage: bareyarp --http ADDR:PORT --upstream http://ADDR:PORT [--https ADDR:PORT --tls-cert FILE --tls-key FILE]");
    return 2;
}

var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
builder.Logging.ClearProviders();
builder.WebHost.UseKestrelHttpsConfiguration();
builder.WebHost.ConfigureKestrel(k =>
{
    k.AddServerHeader = false;
    k.Listen(IPEndPoint.Parse(http));
    if (options.TryGetValue("--https", out var https))
    {
        var certificate = X509Certificate2.CreateFromPemFile(options["--tls-cert"], options["--tls-key"]);
        k.Listen(IPEndPoint.Parse(https), l =>
        {
            // HTTP/1.1 and h2 by ALPN, as OneHop's --https listener offers.
            l.Protocols = HttpProtocols.Http1AndHttp2;
            l.UseHttps(certificate);
        });
    }
});

RouteConfig[] routes = [new() { RouteId = "all", ClusterId = "upstream", Match = new RouteMatch { Path = "/{**catch-all}" } }];
ClusterConfig[] clusters =
[
    new()
    {
        ClusterId = "upstream",
        Destinations = new Dictionary<string, DestinationConfig>(StringComparer.Ordinal) { ["pod"] = new() { Address = upstream } },

        // HTTP/1.1 to the upstream, as nginx and HAProxy are configured (and as OneHop talks to plain-HTTP pods).
        HttpRequest = new ForwarderRequestConfig { Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionOrLower },
    },
];
builder.Services.AddReverseProxy().LoadFromMemory(routes, clusters);

var app = builder.Build();
app.MapReverseProxy();
await app.RunAsync();
return 0;
