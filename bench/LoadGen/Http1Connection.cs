using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace LoadGen;

/// <summary>
/// Where and what an HTTP/1.1 worker sends: the address, TLS or not (the name for SNI, whether a session may be
/// resumed), the request bytes.
/// </summary>
internal sealed record Http1Target(IPEndPoint EndPoint, bool Tls, string ServerName, byte[] Request, Trust? Trust, bool TlsResume)
{
    public static Http1Target Create(Options options)
    {
        var url = options.Url;
        var address = IPAddress.TryParse(url.Host, out var ip) ? ip : Dns.GetHostAddresses(url.Host)[0];
        var request = new StringBuilder()
            .Append("GET ").Append(url.PathAndQuery).Append(" HTTP/1.1\r\n")
            .Append("Host: ").Append(options.Host ?? url.Authority).Append("\r\n")
            .Append(options.NewConnection ? "Connection: close\r\n" : string.Empty)
            .Append("\r\n");
        return new Http1Target(
            new IPEndPoint(address, url.Port),
            url.Scheme == Uri.UriSchemeHttps,
            options.Host ?? url.Host,
            Encoding.ASCII.GetBytes(request.ToString()),
            options.Ca is null ? null : new Trust(options.Ca),
            !options.NoTlsResume);
    }
}

/// <summary>What the loop needs from a response: its status, whether the server closes, the counted header.</summary>
internal readonly record struct Http1Response(int Status, bool Close, string? HeaderValue);

/// <summary>
/// One HTTP/1.1 connection and a minimal response parser: status line, Content-Length or chunked body, Connection:
/// close, one header to report. Bodies are read and dropped. Enough for nginx, HAProxy, Kestrel and YARP answers.
/// </summary>
internal sealed class Http1Connection : IDisposable
{
    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly byte[] _request;
    private byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    private Http1Connection(Socket socket, Stream stream, byte[] request)
    {
        _socket = socket;
        _stream = stream;
        _request = request;
    }

    public static async Task<Http1Connection> OpenAsync(Http1Target target, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(target.EndPoint, cancellationToken);
            Stream stream = new NetworkStream(socket, ownsSocket: true);
            if (target.Tls)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                await ssl.AuthenticateAsClientAsync(
                    new SslClientAuthenticationOptions
                    {
                        TargetHost = target.ServerName,

                        CertificateChainPolicy = target.Trust!.Policy(),
                        ApplicationProtocols = [SslApplicationProtocol.Http11],
                        AllowTlsResume = target.TlsResume,
                    },
                    cancellationToken);
                stream = ssl;
            }

            return new Http1Connection(socket, stream, target.Request);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async ValueTask<Http1Response> SendAsync(string? countHeader, CancellationToken cancellationToken)
    {
        _start = _end = 0;
        await _stream.WriteAsync(_request, cancellationToken);

        int headerEnd;
        while ((headerEnd = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8)) < 0)
        {
            await FillAsync(cancellationToken);
        }

        var (status, contentLength, chunked, close, headerValue) = ParseHead(_buffer.AsSpan(_start, headerEnd), countHeader);
        _start += headerEnd + 4;
        if (chunked)
        {
            await SkipChunkedAsync(cancellationToken);
        }
        else if (contentLength >= 0)
        {
            await SkipAsync(contentLength, cancellationToken);
        }
        else if (status is not (204 or 304) && status >= 200)
        {
            // No length: the body ends when the server closes.
            while (await TryFillAsync(cancellationToken))
            {
                _start = _end;
            }

            close = true;
        }

        return new Http1Response(status, close, headerValue);
    }

    public void Dispose()
    {
        _stream.Dispose();
        _socket.Dispose();
    }

    private static (int Status, long ContentLength, bool Chunked, bool Close, string? HeaderValue) ParseHead(ReadOnlySpan<byte> head, string? countHeader)
    {
        // "HTTP/1.1 200 OK"
        if (head.Length < 12 || !head.StartsWith("HTTP/1."u8) || !int.TryParse(head.Slice(9, 3), out var status))
        {
            throw new InvalidDataException("not an HTTP/1.x response");
        }

        long contentLength = -1;
        bool chunked = false, close = head[7] == (byte)'0';
        string? headerValue = null;
        var lineEnd = head.IndexOf("\r\n"u8);
        var rest = lineEnd < 0 ? [] : head[(lineEnd + 2)..];
        while (!rest.IsEmpty)
        {
            lineEnd = rest.IndexOf("\r\n"u8);
            var line = lineEnd < 0 ? rest : rest[..lineEnd];
            rest = lineEnd < 0 ? [] : rest[(lineEnd + 2)..];
            var colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                continue;
            }

            var name = line[..colon];
            var value = line[(colon + 1)..].Trim((byte)' ');
            if (Ascii.EqualsIgnoreCase(name, "content-length"u8))
            {
                contentLength = long.Parse(value);
            }
            else if (Ascii.EqualsIgnoreCase(name, "transfer-encoding"u8))
            {
                chunked = value.Length >= 7 && Ascii.EqualsIgnoreCase(value[^7..], "chunked"u8);
            }
            else if (Ascii.EqualsIgnoreCase(name, "connection"u8))
            {
                close = Ascii.EqualsIgnoreCase(value, "close"u8);
            }
            else if (countHeader is not null && Ascii.EqualsIgnoreCase(name, countHeader))
            {
                headerValue = Encoding.ASCII.GetString(value);
            }
        }

        return (status, contentLength, chunked, close, headerValue);
    }

    private async ValueTask SkipChunkedAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var line = await ReadLineAsync(cancellationToken);
            var semicolon = line.IndexOf(';');
            var size = Convert.ToInt64((semicolon < 0 ? line : line[..semicolon]).Trim(), 16);
            if (size == 0)
            {
                // Trailers, then the empty line.
                while ((await ReadLineAsync(cancellationToken)).Length > 0)
                {
                }

                return;
            }

            await SkipAsync(size + 2, cancellationToken);
        }
    }

    private async ValueTask<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        int end;
        while ((end = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8)) < 0)
        {
            await FillAsync(cancellationToken);
        }

        var line = Encoding.ASCII.GetString(_buffer, _start, end);
        _start += end + 2;
        return line;
    }

    private async ValueTask SkipAsync(long count, CancellationToken cancellationToken)
    {
        while (true)
        {
            var available = _end - _start;
            if (available >= count)
            {
                _start += (int)count;
                return;
            }

            count -= available;
            _start = _end = 0;
            await FillAsync(cancellationToken);
        }
    }

    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        if (!await TryFillAsync(cancellationToken))
        {
            throw new IOException("the server closed the connection before the response ended");
        }
    }

    private async ValueTask<bool> TryFillAsync(CancellationToken cancellationToken)
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_end == _buffer.Length)
        {
            // Make room: move what is unread to the front, or grow for a very long head.
            var unread = _end - _start;
            var target = _start == 0 ? new byte[_buffer.Length * 2] : _buffer;
            Buffer.BlockCopy(_buffer, _start, target, 0, unread);
            _buffer = target;
            (_start, _end) = (0, unread);
        }

        var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
        _end += read;
        return read > 0;
    }
}
