using System.Buffers.Binary;
using System.Net.Security;
using System.Text;

namespace OneHop.Core.Tests.Proxy.Tcp;

/// <summary>ClientHellos for tests: built field by field (optionally spread over several records), or captured from SslStream.</summary>
internal static class ClientHellos
{
    /// <summary>A ClientHello with <paramref name="serverName"/> (none when null) and any other extensions given.</summary>
    public static byte[] Build(string? serverName, int sessionId = 32, int suites = 8, (ushort Type, byte[] Data)[]? extensions = null, int[]? recordSplits = null, bool withExtensions = true)
    {
        var body = new List<byte> { 3, 3 };
        body.AddRange(new byte[32]);
        body.Add((byte)sessionId);
        body.AddRange(new byte[sessionId]);
        body.AddRange(U16(suites * 2));
        body.AddRange(Enumerable.Range(0, suites * 2).Select(i => (byte)(i + 1)));
        body.AddRange([1, 0]);
        var all = new List<(ushort, byte[])>();
        if (serverName is not null)
        {
            var name = Encoding.ASCII.GetBytes(serverName);
            all.Add((0, [.. U16(name.Length + 3), 0, .. U16(name.Length), .. name]));
        }

        all.AddRange(extensions ?? [(10, [0, 2, 0, 29]), (43, [2, 3, 4])]);
        if (withExtensions)
        {
            var block = all.SelectMany(e => U16(e.Item1).Concat(U16(e.Item2.Length)).Concat(e.Item2)).ToArray();
            body.AddRange(U16(block.Length));
            body.AddRange(block);
        }

        byte[] handshake = [1, (byte)(body.Count >> 16), (byte)(body.Count >> 8), (byte)body.Count, .. body];
        return Records(handshake, recordSplits ?? []);
    }

    /// <summary>The handshake bytes cut into records at <paramref name="splits"/> (offsets into the message).</summary>
    public static byte[] Records(byte[] handshake, int[] splits)
    {
        var cuts = splits.Where(s => s > 0 && s < handshake.Length).Distinct().Order().Append(handshake.Length).ToArray();
        var records = new List<byte>();
        var start = 0;
        foreach (var cut in cuts)
        {
            records.AddRange([22, 3, 1, .. U16(cut - start)]);
            records.AddRange(handshake[start..cut]);
            start = cut;
        }

        return [.. records];
    }

    /// <summary>The ClientHello .NET's SslStream sends for <paramref name="targetHost"/>.</summary>
    public static async Task<byte[]> FromSslStreamAsync(string targetHost)
    {
        var capture = new CaptureStream();
        using var ssl = new SslStream(capture);
        try
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = targetHost });
        }
        catch (IOException)
        {
        }

        return capture.Written.ToArray();
    }

    private static byte[] U16(int value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)value);
        return bytes;
    }

    /// <summary>Keeps what is written; the server never answers.</summary>
    private sealed class CaptureStream : Stream
    {
        public MemoryStream Written { get; } = new();

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new IOException("no server");

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Written.Write(buffer, offset, count);
    }
}
