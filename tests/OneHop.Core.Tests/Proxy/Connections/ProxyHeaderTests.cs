using System.Buffers;
using System.Net;
using System.Text;
using CsCheck;
using OneHop.Core.Proxy.Connections;
using OneHop.Core.Tests.Support.Fuzz;

namespace OneHop.Core.Tests.Proxy.Connections;

public sealed class ProxyHeaderTests
{
    private static readonly byte[] V2Signature = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    [Fact]
    public void A_v1_header_gives_both_endpoints_and_its_length()
    {
        var bytes = "PROXY TCP4 203.0.113.7 10.0.0.1 51234 443\r\nGET / HTTP/1.1\r\n"u8.ToArray();
        Assert.Equal(ProxyHeaderStatus.Complete, ProxyHeader.TryParse(new ReadOnlySequence<byte>(bytes), out var header, out _));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("203.0.113.7"), 51234), header.Source);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.0.0.1"), 443), header.Destination);
        Assert.Equal(43, header.Length);
    }

    [Fact]
    public void A_v2_header_for_ipv6_is_read()
    {
        var bytes = V2Signature.Concat(new byte[] { 0x21, 0x21, 0, 36 }).Concat(IPAddress.Parse("2001:db8::42").GetAddressBytes())
            .Concat(IPAddress.Parse("2001:db8::1").GetAddressBytes()).Concat(new byte[] { 0xC8, 0x00, 0x01, 0xBB }).ToArray();
        Assert.Equal(ProxyHeaderStatus.Complete, ProxyHeader.TryParse(new ReadOnlySequence<byte>(bytes), out var header, out _));
        Assert.Equal(IPAddress.Parse("2001:db8::42"), header.Source!.Address);
        Assert.Equal(443, header.Destination!.Port);
    }

    [Theory]
    [InlineData("PROXY TCP4 203.0.113.7 10.0.0.1 51234\r\n")]
    [InlineData("PROXY TCP4 203.0.113.7 10.0.0.1 70000 443\r\n")]
    [InlineData("PROXY TCP4 203.0.113.7 10.0.0.1 +5 443\r\n")]
    [InlineData("PROXY TCP4 not-an-ip 10.0.0.1 1 443\r\n")]
    [InlineData("PROXY TCP5 203.0.113.7 10.0.0.1 1 443\r\n")]
    [InlineData("PROXY TCP4 203.0.113.7 10.0.0.1 1 443 extra\r\n")]
    public void A_malformed_v1_header_is_reported_not_thrown(string text)
    {
        Assert.Equal(ProxyHeaderStatus.Malformed, ProxyHeader.TryParse(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(text)), out _, out var error));
        Assert.StartsWith("malformed PROXY v1 header", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_v1_line_without_its_end_is_incomplete_until_it_is_too_long()
    {
        Assert.Equal(ProxyHeaderStatus.Incomplete, ProxyHeader.TryParse(new ReadOnlySequence<byte>("PROXY TCP4 1.2.3.4"u8.ToArray()), out _, out _));
        var endless = Encoding.ASCII.GetBytes("PROXY " + new string('1', 200));
        Assert.Equal(ProxyHeaderStatus.Malformed, ProxyHeader.TryParse(new ReadOnlySequence<byte>(endless), out _, out _));
    }

    [Theory]
    [InlineData(0x31, 0x11, 12)]
    [InlineData(0x21, 0x31, 12)]
    [InlineData(0x21, 0x11, 4)]
    [InlineData(0x21, 0x21, 12)]
    public void A_v2_header_with_a_bad_version_family_or_short_addresses_is_malformed(byte versionCommand, byte family, byte length)
    {
        var bytes = V2Signature.Concat(new byte[] { versionCommand, family, 0, length }).Concat(new byte[length]).ToArray();
        Assert.Equal(ProxyHeaderStatus.Malformed, ProxyHeader.TryParse(new ReadOnlySequence<byte>(bytes), out _, out var error));
        Assert.NotNull(error);
    }

    [Fact]
    public void Random_bytes_after_either_signature_never_throw()
    {
        var prefixes = new[] { "PROXY "u8.ToArray(), V2Signature, "PROXY TCP4 "u8.ToArray(), V2Signature.Concat(new byte[] { 0x21, 0x11 }).ToArray() };
        Gen.Select(Gen.Int[0, prefixes.Length - 1], Gen.Byte.Array[0, 300])
            .Sample(
                (prefix, tail) =>
                {
                    var bytes = prefixes[prefix].Concat(tail).ToArray();
                    var status = ProxyHeader.TryParse(new ReadOnlySequence<byte>(bytes), out var header, out var error);
                    Assert.Equal(status == ProxyHeaderStatus.Malformed, error is not null);
                    Assert.True(status != ProxyHeaderStatus.Complete || (header.Length > 0 && header.Length <= bytes.Length));
                },
                iter: FuzzBudget.Iterations(20_000),
                writeLine: FuzzBudget.Report,
                seed: FuzzBudget.Seed,
                threads: 1);
    }
}
