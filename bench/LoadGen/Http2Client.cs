using System.Net;
using System.Net.Security;

namespace LoadGen;

/// <summary>
/// HTTP/2 over TLS through HttpClient: --connections handlers with one connection each (no extra connections when
/// streams run out), requests spread over them in turn. A due request is handed to the thread pool and sent at once,
/// however many are already in flight: HTTP/2 multiplexes, so open-loop needs no queue.
/// </summary>
internal sealed class Http2Client : ILoadClient
{
    private readonly Options _options;
    private readonly Recorder _recorder;
    private readonly CancellationToken _abort;
    private readonly HttpMessageInvoker[] _invokers;

    public Http2Client(Options options, Recorder recorder, CancellationToken abort)
    {
        var trust = new Trust(options.Ca!);
        _options = options;
        _recorder = recorder;
        _abort = abort;
        _invokers = [.. Enumerable.Range(0, options.Connections).Select(_ => new HttpMessageInvoker(new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = false,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            SslOptions = new SslClientAuthenticationOptions { CertificateChainPolicy = trust.Policy() },
        }))];
    }

    public async Task PrepareAsync()
    {
        // One request on each handler opens its connection before the schedule starts.
        foreach (var invoker in _invokers)
        {
            using var response = await invoker.SendAsync(NewRequest(), _abort);
            await response.Content.CopyToAsync(Stream.Null, _abort);
        }
    }

    public void Dispatch(int index) => ThreadPool.UnsafeQueueUserWorkItem(static s => _ = s.Client.SendAsync(s.Index), (Client: this, Index: index), preferLocal: false);

    public ValueTask DisposeAsync()
    {
        foreach (var invoker in _invokers)
        {
            invoker.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private async Task SendAsync(int index)
    {
        try
        {
            using var request = NewRequest();
            using var response = await _invokers[index % _invokers.Length].SendAsync(request, _abort);
            await response.Content.CopyToAsync(Stream.Null, _abort);
            string? value = null;
            if (_recorder.CountHeader is { } header && response.Headers.TryGetValues(header, out var values))
            {
                value = values.FirstOrDefault();
            }

            _recorder.Complete(index, (int)response.StatusCode, value);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
        {
            _recorder.Fail(index);
        }
    }

    private HttpRequestMessage NewRequest()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, _options.Url) { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        if (_options.Host is { } host)
        {
            request.Headers.Host = host;
        }

        return request;
    }
}
