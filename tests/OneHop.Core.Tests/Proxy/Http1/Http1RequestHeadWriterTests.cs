using System.Buffers;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using OneHop.Core.Proxy.Http1;

namespace OneHop.Core.Tests.Proxy.Http1;

public sealed class Http1RequestHeadWriterTests
{
    [Fact]
    public void The_request_line_carries_the_target_as_sent_and_Host_comes_first()
    {
        var context = Request("GET", "/a%2Fb/%3B?q=%20&x", ("Accept", "*/*"), ("Host", "example.com:8080"));

        Assert.Equal("GET /a%2Fb/%3B?q=%20&x HTTP/1.1\r\nHost: example.com:8080\r\nAccept: */*\r\n\r\n", Write(context));
    }

    [Fact]
    public void Hop_by_hop_fields_and_those_Connection_names_are_dropped_and_the_rest_kept_as_sent()
    {
        var context = Request(
            "GET",
            "/",
            ("Host", "h"),
            ("Connection", "keep-alive, X-Private"),
            ("X-Private", "secret"),
            ("Keep-Alive", "timeout=5"),
            ("Proxy-Connection", "keep-alive"),
            ("TE", "gzip"),
            ("Upgrade", "h2c"),
            ("Proxy-Authorization", "Basic eA=="),
            ("X-File", "caf\u00e9.txt"),
            ("Cookie", "a=1"));
        context.Request.Headers.Append("Cookie", "b=2");

        Assert.Equal(
            "GET / HTTP/1.1\r\nHost: h\r\nProxy-Authorization: Basic eA==\r\nX-File: caf\u00e9.txt\r\nCookie: a=1\r\nCookie: b=2\r\n\r\n",
            Write(context));
    }

    [Fact]
    public void Header_bytes_above_0x7F_go_out_as_the_single_bytes_they_came_in_as()
    {
        var context = Request("GET", "/", ("Host", "h"), ("X-File", "caf\u00e9"));
        var bytes = WriteBytes(context, Http1RequestShape.AsSent);

        Assert.Contains((byte)0xE9, bytes);
        Assert.DoesNotContain((byte)0xC3, bytes);
    }

    [Fact]
    public void TE_trailers_is_kept_and_named_in_Connection()
    {
        var context = Request("POST", "/rpc", ("Host", "h"), ("TE", "trailers"), ("Content-Length", "0"));

        Assert.Equal("POST /rpc HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\nTE: trailers\r\nConnection: TE\r\n\r\n", Write(context));
    }

    [Fact]
    public void The_body_framing_is_OneHops_own()
    {
        var sized = Request("PUT", "/", ("Host", "h"), ("Content-Length", "12"));
        Assert.Equal("PUT / HTTP/1.1\r\nHost: h\r\nContent-Length: 12\r\n\r\n", Write(sized));

        var chunked = Request("POST", "/", ("Host", "h"), ("Transfer-Encoding", "chunked"));
        chunked.Features.Set<IHttpRequestBodyDetectionFeature>(new BodyDetection(true));
        Assert.Equal("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n", Write(chunked));
    }

    [Fact]
    public void An_upgrade_sends_Upgrade_and_Connection_Upgrade()
    {
        var context = Request("GET", "/ws", ("Host", "h"), ("Connection", "Upgrade"), ("Upgrade", "websocket"), ("Sec-WebSocket-Key", "k"));
        context.Features.Set<IHttpUpgradeFeature>(new Upgradable());

        Assert.Equal("GET /ws HTTP/1.1\r\nHost: h\r\nSec-WebSocket-Key: k\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n", Write(context));
    }

    [Fact]
    public void The_shape_drops_and_adds_headers()
    {
        var context = Request("GET", "/", ("Host", "h"), ("X-Forwarded-For", "1.2.3.4"), ("X-Other", "o"));
        context.Connection.RemoteIpAddress = IPAddress.Parse("203.0.113.7");
        context.Request.Scheme = "http";

        Assert.Equal("GET / HTTP/1.1\r\nHost: h\r\nX-Other: o\r\nX-Forwarded-For: 203.0.113.7\r\nX-Forwarded-Proto: http\r\n\r\n", Write(context, new ForwardedShape()));
    }

    [Theory]
    [InlineData("X-Bad", "a\r\nX-Injected: 1")]
    [InlineData("X-Bad", "a\nb")]
    [InlineData("X-Bad", "a\u0000b")]
    [InlineData("X-Bad", "\u0100")]
    [InlineData("X Bad", "v")]
    [InlineData("X-Bad:", "v")]
    public void A_header_that_would_break_the_head_makes_it_unwritable(string name, string value)
    {
        var context = Request("GET", "/", ("Host", "h"));

        Assert.False(Http1RequestHeadWriter.Write(new ArrayBufferWriter<byte>(), context, Plan(context), new AddingShape(name, value)));
    }

    [Theory]
    [InlineData("GET", "/p?q", "/p?q")]
    [InlineData("GET", "http://example.com/p?q", "/p?q")]
    [InlineData("GET", "http://example.com", "/")]
    [InlineData("OPTIONS", "*", "*")]
    public void The_target_is_forwarded_in_origin_form(string method, string raw, string target)
    {
        Assert.True(Http1RequestPlan.TryCreate(Request(method, raw), out var plan));
        Assert.Equal(target, plan.Target);
    }

    [Theory]
    [InlineData("CONNECT", "example.com:443")]
    [InlineData("GET", "*")]
    [InlineData("GET", "example.com:443")]
    [InlineData("GET", "/a b")]
    public void A_request_HTTP_1_1_cannot_carry_to_the_endpoint_has_no_plan(string method, string raw) =>
        Assert.False(Http1RequestPlan.TryCreate(Request(method, raw), out _));

    [Fact]
    public void Expect_100_continue_holds_a_body_back_and_only_a_body()
    {
        Assert.True(Plan(Request("PUT", "/", ("Expect", "100-continue"), ("Content-Length", "5"))).ExpectContinue);
        Assert.False(Plan(Request("PUT", "/", ("Expect", "100-continue"), ("Content-Length", "0"))).ExpectContinue);
        Assert.False(Plan(Request("GET", "/", ("Expect", "100-continue"))).ExpectContinue);
    }

    private static DefaultHttpContext Request(string method, string rawTarget, params (string Name, string Value)[] headers)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = rawTarget;
        foreach (var (name, value) in headers)
        {
            context.Request.Headers.Append(name, value);
        }

        return context;
    }

    private static Http1RequestPlan Plan(HttpContext context)
    {
        Assert.True(Http1RequestPlan.TryCreate(context, out var plan));
        return plan;
    }

    private static string Write(HttpContext context, Http1RequestShape? shape = null) => Encoding.Latin1.GetString(WriteBytes(context, shape ?? Http1RequestShape.AsSent));

    private static byte[] WriteBytes(HttpContext context, Http1RequestShape shape)
    {
        var output = new ArrayBufferWriter<byte>(16);
        Assert.True(Http1RequestHeadWriter.Write(output, context, Plan(context), shape));
        return output.WrittenSpan.ToArray();
    }

    private sealed class ForwardedShape : Http1RequestShape
    {
        public override bool Skips(string headerName) => headerName.Equals("X-Forwarded-For", StringComparison.OrdinalIgnoreCase);

        public override void WriteHeaders(ref Http1HeaderWriter writer, HttpContext context)
        {
            writer.Start("X-Forwarded-For");
            writer.Append(context.Connection.RemoteIpAddress!);
            writer.End();
            writer.Write("X-Forwarded-Proto", context.Request.Scheme);
        }
    }

    private sealed class AddingShape(string name, string value) : Http1RequestShape
    {
        public override void WriteHeaders(ref Http1HeaderWriter writer, HttpContext context) => writer.Write(name, value);
    }

    private sealed class BodyDetection(bool canHaveBody) : IHttpRequestBodyDetectionFeature
    {
        public bool CanHaveBody => canHaveBody;
    }

    private sealed class Upgradable : IHttpUpgradeFeature
    {
        public bool IsUpgradableRequest => true;

        public Task<Stream> UpgradeAsync() => throw new NotSupportedException();
    }
}
