using System.Threading.Channels;

namespace LoadGen;

/// <summary>
/// HTTP/1.1 over raw sockets: --connections workers, each sending one request at a time on its connection (no
/// pipelining, as browsers and proxies do), taking due requests from one shared queue. Keep-alive by default; with
/// --new-connection every request opens its own connection and sends "Connection: close", and the connect (and TLS
/// handshake) time is part of its latency.
/// </summary>
internal sealed class Http1Client : ILoadClient
{
    private readonly Options _options;
    private readonly Recorder _recorder;
    private readonly CancellationToken _abort;
    private readonly Channel<int> _queue = Channel.CreateUnbounded<int>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly Http1Target _target;
    private readonly List<Task> _workers = [];

    public Http1Client(Options options, Recorder recorder, CancellationToken abort)
    {
        _options = options;
        _recorder = recorder;
        _abort = abort;
        _target = Http1Target.Create(options);
    }

    public async Task PrepareAsync()
    {
        var connections = new Http1Connection?[_options.Connections];
        if (!_options.NewConnection)
        {
            for (var i = 0; i < connections.Length; i++)
            {
                connections[i] = await Http1Connection.OpenAsync(_target, _abort);
            }
        }

        foreach (var connection in connections)
        {
            _workers.Add(Task.Run(() => WorkAsync(connection)));
        }
    }

    public void Dispatch(int index) => _queue.Writer.TryWrite(index);

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        try
        {
            await Task.WhenAll(_workers).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
            // Workers stuck on a dead server: the process is ending anyway.
        }
    }

    private async Task WorkAsync(Http1Connection? connection)
    {
        var reader = _queue.Reader;
        try
        {
            while (true)
            {
                // ReadAsync hands each request to one idle worker (WaitToReadAsync would wake them all).
                var index = await reader.ReadAsync(_abort);
                try
                {
                    connection ??= await Http1Connection.OpenAsync(_target, _abort);
                    var response = await connection.SendAsync(_recorder.CountHeader, _abort);
                    _recorder.Complete(index, response.Status, response.HeaderValue);
                    if (response.Close || _options.NewConnection)
                    {
                        connection.Dispose();
                        connection = null;
                    }
                }
                catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or InvalidDataException or System.Security.Authentication.AuthenticationException or ObjectDisposedException)
                {
                    _recorder.Fail(index);
                    connection?.Dispose();
                    connection = null;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            // The run is over.
        }
        finally
        {
            connection?.Dispose();
        }
    }
}
