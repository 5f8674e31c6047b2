using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using OneHop.Core.Health;
using OneHop.Core.Proxy.Http;
using Yarp.ReverseProxy.Forwarder;

namespace OneHop.Core.Tests.Proxy.Http;

/// <summary>Every way an attempt ends, as YARP reports it, and what it means for the pod (outcomes by name: the enum is internal).</summary>
public sealed class YarpOutcomesTests
{
    public static TheoryData<string, int, ForwarderError?, Exception?, string> Cases => new()
    {
        { "answered", 200, null, null, nameof(AttemptOutcome.Success) },
        { "answered 404", 404, null, null, nameof(AttemptOutcome.Success) },
        { "answered 503", 503, null, null, nameof(AttemptOutcome.PodError) },
        { "refused", 502, ForwarderError.Request, new HttpRequestException(HttpRequestError.ConnectionError, "refused", new SocketException((int)SocketError.ConnectionRefused)), nameof(AttemptOutcome.ConnectRefused) },
        { "unreachable", 502, ForwarderError.Request, new SocketException((int)SocketError.HostUnreachable), nameof(AttemptOutcome.ConnectRefused) },
        { "connect timeout", 504, ForwarderError.RequestTimedOut, new TaskCanceledException("connect", new TimeoutException("ConnectTimeout")), nameof(AttemptOutcome.ConnectTimeout) },
        { "activity timeout", 504, ForwarderError.RequestTimedOut, new TaskCanceledException(), nameof(AttemptOutcome.Timeout) },
        { "tls", 502, ForwarderError.Request, new HttpRequestException(HttpRequestError.SecureConnectionError, "handshake"), nameof(AttemptOutcome.TlsFailure) },
        { "reset", 502, ForwarderError.Request, new HttpRequestException("error", new IOException("reset", new SocketException((int)SocketError.ConnectionReset))), nameof(AttemptOutcome.UpstreamReset) },
        { "ended", 502, ForwarderError.Request, new HttpRequestException(HttpRequestError.ResponseEnded, "ended"), nameof(AttemptOutcome.UpstreamReset) },
        { "bad status line", 502, ForwarderError.Request, new HttpRequestException(HttpRequestError.InvalidResponse, "status line"), nameof(AttemptOutcome.BadUpstreamResponse) },
        { "bad chunk", 502, ForwarderError.ResponseBodyDestination, new HttpIOException(HttpRequestError.InvalidResponse, "chunk"), nameof(AttemptOutcome.BadUpstreamResponse) },
        { "reset mid-body", 502, ForwarderError.ResponseBodyDestination, new IOException("reset"), nameof(AttemptOutcome.UpstreamReset) },
        { "bad response headers", 502, ForwarderError.ResponseHeaders, new InvalidOperationException(), nameof(AttemptOutcome.BadUpstreamResponse) },
        { "pod failed reading the body", 502, ForwarderError.RequestBodyDestination, new IOException("reset"), nameof(AttemptOutcome.UpstreamReset) },
        { "client gone", 502, ForwarderError.RequestCanceled, new TaskCanceledException(), nameof(AttemptOutcome.ClientAbort) },
        { "client gone mid-body", 502, ForwarderError.ResponseBodyClient, new IOException("broken pipe"), nameof(AttemptOutcome.ClientAbort) },
        { "malformed request body", 400, ForwarderError.RequestBodyClient, new BadHttpRequestException("bad chunk"), nameof(AttemptOutcome.BadRequestBody) },
        { "unsendable header", 502, ForwarderError.Request, new HttpRequestException("Request headers must contain only ASCII characters."), nameof(AttemptOutcome.Unforwardable) },
        { "CONNECT", 502, ForwarderError.Request, new NotSupportedException("CONNECT"), nameof(AttemptOutcome.Unforwardable) },
        { "response body stalled", 502, ForwarderError.ResponseBodyCanceled, new TaskCanceledException(), nameof(AttemptOutcome.Stalled) },
        { "WebSocket idle", 101, ForwarderError.UpgradeActivityTimeout, new TaskCanceledException(), nameof(AttemptOutcome.Stalled) },
        { "WebSocket client gone", 101, ForwarderError.UpgradeRequestClient, new IOException(), nameof(AttemptOutcome.ClientAbort) },
        { "WebSocket pod gone", 101, ForwarderError.UpgradeResponseDestination, new IOException(), nameof(AttemptOutcome.UpstreamReset) },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void An_attempt_is_classified_from_the_error_and_the_status(string name, int status, ForwarderError? error, Exception? exception, string expected)
    {
        var context = Context(status, error, exception);
        var outcome = YarpOutcomes.Classify(context, error ?? ForwarderError.None, routeTimedOut: false);

        Assert.True(expected == outcome.ToString(), $"{name}: {outcome}");
    }

    [Fact]
    public void Only_what_the_pod_did_counts_against_it()
    {
        AttemptOutcome[] blamed = [AttemptOutcome.PodError, AttemptOutcome.ConnectRefused, AttemptOutcome.ConnectTimeout, AttemptOutcome.TlsFailure, AttemptOutcome.UpstreamReset, AttemptOutcome.BadUpstreamResponse, AttemptOutcome.Timeout];

        Assert.Equal(blamed, Enum.GetValues<AttemptOutcome>().Where(o => o.CountsAgainstPod()));
    }

    [Fact]
    public void A_route_timeout_is_a_timeout_whatever_yarp_saw() =>
        Assert.Equal(AttemptOutcome.Timeout, YarpOutcomes.Classify(Context(502, ForwarderError.RequestCanceled, new TaskCanceledException()), ForwarderError.RequestCanceled, routeTimedOut: true));

    private static DefaultHttpContext Context(int status, ForwarderError? error, Exception? exception)
    {
        var context = new DefaultHttpContext();
        context.Response.StatusCode = status;
        if (error is { } e)
        {
            context.Features.Set<IForwarderErrorFeature>(new ErrorFeature(e, exception));
        }

        return context;
    }

    private sealed record ErrorFeature(ForwarderError Error, Exception? Exception) : IForwarderErrorFeature;
}
