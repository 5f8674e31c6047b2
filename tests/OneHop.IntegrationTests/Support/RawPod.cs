using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OneHop.IntegrationTests.Support;

/// <summary>
/// A pod played byte by byte on its own loopback address: it records every request exactly as it arrived (head and
/// body, bytes kept as Latin-1 characters) and answers with a script — for what a real server will not do (malformed
/// answers, resets, silence) and to see exactly what OneHop sent.
/// </summary>
internal sealed class RawPod : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly Func<string, PodAnswer> _answer;
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly ConcurrentBag<Socket> _connections = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;
    private int _accepted;

    private RawPod(Socket listener, Func<string, PodAnswer> answer)
    {
        _listener = listener;
        _answer = answer;
        var endpoint = (IPEndPoint)listener.LocalEndPoint!;
        Address = endpoint.Address.ToString();
        Port = endpoint.Port;
        _accepting = AcceptAsync();
    }

    public string Address { get; }

    public int Port { get; }

    /// <summary>Every request received so far, in order.</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _accepted);

    /// <summary>Starts a pod that gives every request the same answer.</summary>
    public static RawPod Start(PodAnswer answer) => Start(_ => answer);

    /// <summary>Starts a pod that answers each request as <paramref name="answer"/> decides from the request.</summary>
    public static RawPod Start(Func<string, PodAnswer> answer)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Parse(LoopbackAddresses.Next()), 0));
        listener.Listen(64);
        return new RawPod(listener, answer);
    }

    /// <summary>The Service and EndpointSlice of this pod, and an Ingress for every host and path to it.</summary>
    public string Manifests(string service) =>
        Yaml.DefaultClass + Yaml.Service(service, Port, new Yaml.Endpoint(Address, $"{service}-0")) + Yaml.Ingress(service, "/", service);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Dispose();
        foreach (var connection in _connections)
        {
            connection.Dispose();
        }

        await _accepting;
        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        var serving = new List<Task>();
        try
        {
            while (true)
            {
                var connection = await _listener.AcceptAsync(_stopping.Token);
                Interlocked.Increment(ref _accepted);
                _connections.Add(connection);
                serving.Add(ServeAsync(connection));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        await Task.WhenAll(serving);
    }

    private async Task ServeAsync(Socket connection)
    {
        var pending = new List<byte>();
        try
        {
            while (true)
            {
                var request = await ReadRequestAsync(connection, pending);
                if (request is null)
                {
                    return;
                }

                _requests.Enqueue(request);
                var answer = _answer(request);
                if (answer.Bytes.Length > 0)
                {
                    await connection.SendAsync(answer.Bytes, _stopping.Token);
                }

                switch (answer.Then)
                {
                    case PodThen.KeepAlive:
                        continue;
                    case PodThen.Close:
                        connection.Shutdown(SocketShutdown.Both);
                        connection.Dispose();
                        return;
                    case PodThen.Reset:
                        connection.LingerState = new LingerOption(true, 0);
                        connection.Dispose();
                        return;
                    case PodThen.HoldOpen:
                        await Task.Delay(Timeout.Infinite, _stopping.Token);
                        return;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    /// <summary>One request, head and body (by Content-Length or chunked); null when the connection closed first.</summary>
    private async Task<string?> ReadRequestAsync(Socket connection, List<byte> pending)
    {
        var buffer = new byte[8192];
        int headEnd;
        while ((headEnd = IndexOf(pending, "\r\n\r\n"u8)) < 0)
        {
            var read = await connection.ReceiveAsync(buffer, _stopping.Token);
            if (read == 0)
            {
                return null;
            }

            pending.AddRange(buffer.AsSpan(0, read));
        }

        var head = Encoding.Latin1.GetString([.. pending], 0, headEnd + 4);
        var lines = head.Split("\r\n");
        var length = lines.Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && p[0].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            .Select(p => long.Parse(p[1].Trim(), CultureInfo.InvariantCulture)).FirstOrDefault();
        var chunked = lines.Any(l => l.StartsWith("Transfer-Encoding:", StringComparison.OrdinalIgnoreCase) && l.Contains("chunked", StringComparison.OrdinalIgnoreCase));
        int end;
        while ((end = BodyEnd(pending, headEnd + 4, length, chunked)) < 0)
        {
            var read = await connection.ReceiveAsync(buffer, _stopping.Token);
            if (read == 0)
            {
                return null;
            }

            pending.AddRange(buffer.AsSpan(0, read));
        }

        var request = Encoding.Latin1.GetString([.. pending], 0, end);
        pending.RemoveRange(0, end);
        return request;
    }

    /// <summary>Where the body that starts at <paramref name="start"/> ends, or -1 while it is incomplete.</summary>
    private static int BodyEnd(List<byte> data, int start, long length, bool chunked)
    {
        if (chunked)
        {
            // The last chunk starts a line: the head's final \n or a chunk's trailing \r\n comes right before it.
            var last = IndexOf(data, "\n0\r\n\r\n"u8, start - 1);
            return last < 0 ? -1 : last + 6;
        }

        return data.Count >= start + length ? start + (int)length : -1;
    }

    private static int IndexOf(List<byte> data, ReadOnlySpan<byte> value, int from = 0)
    {
        for (var i = from; i <= data.Count - value.Length; i++)
        {
            var match = true;
            for (var j = 0; j < value.Length && match; j++)
            {
                match = data[i + j] == value[j];
            }

            if (match)
            {
                return i;
            }
        }

        return -1;
    }
}

/// <summary>What a <see cref="RawPod"/> does after reading a request: send these bytes (Latin-1), then <see cref="Then"/>.</summary>
internal sealed record PodAnswer(byte[] Bytes, PodThen Then)
{
    /// <summary>A well-formed 200 with a short body; the connection stays open for the next request.</summary>
    public static PodAnswer Ok { get; } = Raw("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Type: text/plain\r\n\r\nok\n", PodThen.KeepAlive);

    /// <summary>Nothing at all, then the connection is reset.</summary>
    public static PodAnswer ResetAtOnce { get; } = new([], PodThen.Reset);

    /// <summary>Nothing at all, connection held open: a pod that never answers.</summary>
    public static PodAnswer Silence { get; } = new([], PodThen.HoldOpen);

    public static PodAnswer Raw(string latin1, PodThen then = PodThen.Close) => new(Encoding.Latin1.GetBytes(latin1), then);
}

internal enum PodThen
{
    KeepAlive,
    Close,
    Reset,
    HoldOpen,
}
