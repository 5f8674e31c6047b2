using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Proxy.Http1;

/// <summary>
/// A real Kestrel server as a pod, plain or TLS, on its own loopback address. It records each request (connection
/// id, method, framing headers, body bytes read) and answers by path: <c>/hello</c>, <c>/echo</c> (the body back,
/// streamed), <c>/digest</c> (the SHA-256 of the body, read to its end first), <c>/bytes?n=N</c> (N bytes with a Content-Length), <c>/status?code=C</c>, <c>/reject</c> (401 without
/// reading the body), <c>/cookies</c>, <c>/slow?n=N</c> (N bytes, 4 KiB every 10 ms), and WebSocket echo.
/// </summary>
internal sealed class KestrelPod : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<PodRequest> _requests = new();

    private KestrelPod(WebApplication app, string address)
    {
        _app = app;
        Address = address;
    }

    public string Address { get; }

    public int Port { get; private set; }

    public IReadOnlyList<PodRequest> Requests => [.. _requests];

    /// <summary>Distinct connections the requests came on.</summary>
    public int Connections => _requests.Select(r => r.ConnectionId).Distinct().Count();

    public static async Task<KestrelPod> StartAsync(CancellationToken cancellationToken, X509Certificate2? certificate = null)
    {
        var address = LoopbackAddresses.Next();
        var app = KestrelApps.Create(address, 0, certificate);
        var pod = new KestrelPod(app, address);
        app.UseWebSockets();
        app.Run(pod.HandleAsync);
        pod.Port = await KestrelApps.StartAsync(app, cancellationToken);
        return pod;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(new CancellationToken(canceled: true));
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var record = new PodRequest(context.Connection.Id, request.Method, request.Path + request.QueryString, request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase));
        _requests.Enqueue(record);
        var n = long.TryParse(request.Query["n"], CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
        var ct = context.RequestAborted;
        if (context.WebSockets.IsWebSocketRequest)
        {
            await KestrelApps.EchoWebSocketAsync(context);
            return;
        }

        switch (request.Path.Value)
        {
            case "/hello":
                response.ContentType = "text/plain";
                await response.WriteAsync("hello", ct);
                break;
            case "/echo":
                var buffer = new byte[65536];
                int read;
                while ((read = await request.Body.ReadAsync(buffer, ct)) > 0)
                {
                    record.BodyBytes += read;
                    await response.Body.WriteAsync(buffer.AsMemory(0, read), ct);
                }

                break;
            case "/digest":
                using (var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256))
                {
                    var chunk = new byte[65536];
                    int got;
                    while ((got = await request.Body.ReadAsync(chunk, ct)) > 0)
                    {
                        record.BodyBytes += got;
                        sha.AppendData(chunk, 0, got);
                    }

                    await response.WriteAsync(Convert.ToHexString(sha.GetHashAndReset()), ct);
                }

                break;
            case "/bytes":
                response.ContentLength = n;
                await WriteBytesAsync(response, n, 0, ct);
                break;
            case "/slow":
                await WriteBytesAsync(response, n, 10, ct);
                break;
            case "/status":
                response.StatusCode = int.Parse(request.Query["code"]!, CultureInfo.InvariantCulture);
                if (response.StatusCode == 304)
                {
                    response.Headers.ETag = "\"v1\"";
                }

                break;
            case "/reject":
                response.StatusCode = StatusCodes.Status401Unauthorized;
                break;
            case "/cookies":
                response.Headers.Append("Set-Cookie", "a=1; Path=/");
                response.Headers.Append("Set-Cookie", "b=2; Path=/");
                break;
        }
    }

    private static async Task WriteBytesAsync(HttpResponse response, long count, int delayMs, CancellationToken ct)
    {
        var chunk = new byte[delayMs > 0 ? 4096 : 81920];
        for (var i = 0; i < chunk.Length; i++)
        {
            chunk[i] = (byte)('a' + (i % 26));
        }

        for (var left = count; left > 0; left -= chunk.Length)
        {
            await response.Body.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, left)), ct);
            if (delayMs > 0)
            {
                await response.Body.FlushAsync(ct);
                await Task.Delay(delayMs, ct);
            }
        }
    }
}

/// <summary>A request as a <see cref="KestrelPod"/> received it.</summary>
internal sealed record PodRequest(string ConnectionId, string Method, string Target, IReadOnlyDictionary<string, string> Headers)
{
    public long BodyBytes { get; set; }
}
