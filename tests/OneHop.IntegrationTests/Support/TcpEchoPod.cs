using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace OneHop.IntegrationTests.Support;

/// <summary>
/// A TCP pod on its own loopback address that echoes every byte back and closes its sending side when the client
/// closes its own (so half-close shows), recording what each connection received first (a PROXY header shows there).
/// </summary>
internal sealed class TcpEchoPod : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentBag<Socket> _open = [];
    private readonly ConcurrentQueue<byte[]> _firstReads = new();
    private readonly Task _accepting;
    private int _accepted;

    private TcpEchoPod(Socket listener, string name)
    {
        _listener = listener;
        Name = name;
        var endpoint = (IPEndPoint)listener.LocalEndPoint!;
        Address = endpoint.Address.ToString();
        Port = endpoint.Port;
        _accepting = AcceptAsync();
    }

    public string Name { get; }

    public string Address { get; }

    public int Port { get; }

    public int Connections => Volatile.Read(ref _accepted);

    /// <summary>The first bytes each connection received, in the order connections came.</summary>
    public IReadOnlyList<byte[]> FirstReads => [.. _firstReads];

    /// <summary>Starts a pod; <paramref name="port"/> 0 takes any free port (pods of one Service share theirs).</summary>
    public static TcpEchoPod Start(string name, int port = 0)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Parse(LoopbackAddresses.Next()), port));
        listener.Listen(128);
        return new TcpEchoPod(listener, name);
    }

    public Yaml.Endpoint Ready() => new(Address, Name);

    /// <summary>Stops accepting; connections already open go on (a terminating pod's graceful shutdown).</summary>
    public void StopAccepting() => _listener.Dispose();

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Dispose();
        foreach (var socket in _open)
        {
            socket.Dispose();
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
                var socket = await _listener.AcceptAsync(_stopping.Token);
                Interlocked.Increment(ref _accepted);
                _open.Add(socket);
                serving.Add(EchoAsync(socket));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        await Task.WhenAll(serving);
    }

    private async Task EchoAsync(Socket socket)
    {
        var buffer = new byte[16 * 1024];
        var first = true;
        try
        {
            while (true)
            {
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None, _stopping.Token);
                if (read == 0)
                {
                    socket.Shutdown(SocketShutdown.Send);
                    return;
                }

                if (first)
                {
                    _firstReads.Enqueue(buffer[..read]);
                    first = false;
                }

                await socket.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stopping.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }
}
