using OneHop.Core.Proxy.Tcp;

namespace OneHop.Core.Tests.Proxy.Tcp;

/// <summary>The ClientHello's server name, rule by rule: what is read, and what closes the connection.</summary>
public sealed class ClientHelloTests
{
    [Theory]
    [InlineData("db.example.com")]
    [InlineData("a")]
    [InlineData("xn--bcher-kva.example")]
    public async Task The_name_SslStream_sends_is_read_whole(string host)
    {
        var hello = await ClientHellos.FromSslStreamAsync(host);

        Assert.Equal(ClientHelloStatus.Complete, ClientHello.TryRead(hello, out var name, out var length, out var error));
        Assert.Null(error);
        Assert.Equal(host, name);
        Assert.Equal(hello.Length, length);
    }

    [Fact]
    public void A_name_is_lowercased_without_its_trailing_dot_and_bytes_after_the_records_are_left_alone()
    {
        var hello = ClientHellos.Build("DB.Example.COM.");

        Assert.Equal(ClientHelloStatus.Complete, ClientHello.TryRead([.. hello, 23, 3, 3, 0, 1, 0], out var name, out var length, out _));
        Assert.Equal("db.example.com", name);
        Assert.Equal(hello.Length, length);
    }

    [Fact]
    public void A_hello_spread_over_records_is_read_and_every_prefix_of_it_is_incomplete()
    {
        var hello = ClientHellos.Build("db.example.com", recordSplits: [1, 3, 40, 90]);

        Assert.Equal(ClientHelloStatus.Complete, ClientHello.TryRead(hello, out var name, out _, out _));
        Assert.Equal("db.example.com", name);
        for (var i = 0; i < hello.Length; i++)
        {
            Assert.Equal(ClientHelloStatus.Incomplete, ClientHello.TryRead(hello.AsSpan(0, i), out _, out _, out _));
        }
    }

    [Fact]
    public void A_hello_without_a_name_or_without_extensions_is_complete_with_no_name()
    {
        Assert.Equal(ClientHelloStatus.Complete, ClientHello.TryRead(ClientHellos.Build(null), out var none, out _, out _));
        Assert.Null(none);
        Assert.Equal(ClientHelloStatus.Complete, ClientHello.TryRead(ClientHellos.Build(null, withExtensions: false), out var bare, out _, out _));
        Assert.Null(bare);
    }

    public static TheoryData<string, byte[]> Malformed() => new()
    {
        { "not a TLS handshake record", "GET / HTTP/1.1\r\n"u8.ToArray() },
        { "not TLS record version 3.x", [22, 2, 0, 0, 5] },
        { "TLS record length out of range", [22, 3, 1, 0x40, 0x01] },
        { "TLS record length out of range", [22, 3, 1, 0, 0] },
        { "the first handshake message is not a ClientHello", ClientHellos.Records([2, 0, 0, 0], []) },
        { "ClientHello larger than 16 KiB", ClientHellos.Records([1, 0, 0x40, 0x01], []) },
        { "bytes after the ClientHello in its handshake records", ClientHellos.Records([.. Handshake(ClientHellos.Build("a.b")), 1], []) },
        { "bad legacy_session_id", ClientHellos.Build("a.b", sessionId: 33) },
        { "bad cipher_suites", ClientHellos.Build("a.b", suites: 0) },
        { "extension 10 sent twice", ClientHellos.Build("a.b", extensions: [(10, [0, 2, 0, 29]), (10, [0, 2, 0, 29])]) },
        { "more than one host_name", ClientHellos.Build(null, extensions: [(0, [0, 8, 0, 0, 1, (byte)'a', 0, 0, 1, (byte)'b'])]) },
        { "server_name of a type other than host_name", ClientHellos.Build(null, extensions: [(0, [0, 4, 1, 0, 1, (byte)'a'])]) },
        { "server_name list does not fill its extension", ClientHellos.Build(null, extensions: [(0, [0, 9, 0, 0, 1, (byte)'a'])]) },
        { "host_name is not a valid DNS name", ClientHellos.Build("a..b") },
        { "host_name is not a valid DNS name", ClientHellos.Build("a b.com") },
        { "host_name is not a valid DNS name", ClientHellos.Build("bad\u00e9.com") },
        { "host_name is not a valid DNS name", ClientHellos.Build(new string('a', 64) + ".com") },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Anything_off_grammar_is_malformed_with_its_reason(string reason, byte[] bytes)
    {
        Assert.Equal(ClientHelloStatus.Malformed, ClientHello.TryRead(bytes, out var name, out _, out var error));
        Assert.Equal(reason, error);
        Assert.Null(name);
    }

    private static byte[] Handshake(byte[] oneRecord) => oneRecord[5..];
}
