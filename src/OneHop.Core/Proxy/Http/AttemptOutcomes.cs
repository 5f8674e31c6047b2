using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Timeouts;
using Yarp.ReverseProxy.Forwarder;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// Classifies an attempt from what YARP reports (<see cref="IForwarderErrorFeature"/>) and the status, once, and says
/// what each outcome means for the endpoint and for a retry.
/// </summary>
internal static class AttemptOutcomes
{
    private static readonly AttemptOutcomeFeature[] Features = [.. Enum.GetValues<AttemptOutcome>().Select(o => new AttemptOutcomeFeature(o))];

    /// <summary>The outcome of the attempt that just ended, classified on first use and kept on the request.</summary>
    public static AttemptOutcome Of(HttpContext context)
    {
        if (context.Features.Get<AttemptOutcomeFeature>() is { } known)
        {
            return known.Outcome;
        }

        var outcome = Classify(context);
        context.Features.Set(Features[(int)outcome]);
        return outcome;
    }

    /// <summary>Clears the outcome before another attempt of the same request.</summary>
    public static void Forget(HttpContext context) => context.Features.Set<AttemptOutcomeFeature>(null);

    /// <summary>
    /// True for what the endpoint did: 5xx, connect failures, resets, malformed answers, timeouts. What the client did
    /// (went away, stopped reading, sent a broken body or a request that cannot be forwarded) never counts.
    /// </summary>
    public static bool CountsAgainstPod(this AttemptOutcome outcome) => outcome is AttemptOutcome.PodError
        or AttemptOutcome.ConnectRefused or AttemptOutcome.ConnectTimeout or AttemptOutcome.TlsFailure
        or AttemptOutcome.UpstreamReset or AttemptOutcome.BadUpstreamResponse or AttemptOutcome.Timeout;

    /// <summary>True when no connection was made, so nothing was sent and any request may go to another endpoint.</summary>
    public static bool IsConnectFailure(this AttemptOutcome outcome) => outcome is AttemptOutcome.ConnectRefused or AttemptOutcome.ConnectTimeout;

    private static AttemptOutcome Classify(HttpContext context)
    {
        var error = context.Features.Get<IForwarderErrorFeature>();
        if (error is null)
        {
            return context.Response.StatusCode >= 500 ? AttemptOutcome.PodError : AttemptOutcome.Success;
        }

        // A route timeout (onehop.dev/timeout) cancels the request's token as a client that went away does.
        var routeTimedOut = context.Features.Get<IHttpRequestTimeoutFeature>()?.RequestTimeoutToken.IsCancellationRequested == true;
        return error.Error switch
        {
            _ when routeTimedOut => AttemptOutcome.Timeout,

            // SocketsHttpHandler reports its ConnectTimeout as a cancellation carrying a TimeoutException; YARP's own
            // activity timeout carries none.
            ForwarderError.RequestTimedOut => Has<TimeoutException>(error.Exception) ? AttemptOutcome.ConnectTimeout : AttemptOutcome.Timeout,
            ForwarderError.Request => BeforeResponse(error.Exception),
            ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled
                or ForwarderError.UpgradeRequestCanceled or ForwarderError.UpgradeResponseCanceled => AttemptOutcome.ClientAbort,

            // With the client still there, only the activity timeout cancels a response body, and YARP does not say
            // whether it waited on the pod or on the client (Kestrel's minimum data rate gives a large write minutes).
            ForwarderError.ResponseBodyCanceled => context.RequestAborted.IsCancellationRequested ? AttemptOutcome.ClientAbort : AttemptOutcome.Stalled,
            ForwarderError.RequestBodyClient => AttemptOutcome.BadRequestBody,
            ForwarderError.ResponseBodyClient or ForwarderError.UpgradeRequestClient or ForwarderError.UpgradeResponseClient => AttemptOutcome.ClientAbort,
            ForwarderError.ResponseHeaders => AttemptOutcome.BadUpstreamResponse,
            ForwarderError.ResponseBodyDestination => Malformed(error.Exception) ? AttemptOutcome.BadUpstreamResponse : AttemptOutcome.UpstreamReset,
            ForwarderError.UpgradeActivityTimeout => AttemptOutcome.Stalled,
            ForwarderError.NoAvailableDestinations => AttemptOutcome.NoEndpoints,
            _ => AttemptOutcome.UpstreamReset,
        };
    }

    /// <summary>A failure to connect, send the request or read the response head.</summary>
    private static AttemptOutcome BeforeResponse(Exception? exception)
    {
        var transport = false;
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError }:
                case SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostUnreachable or SocketError.NetworkUnreachable }:
                    return AttemptOutcome.ConnectRefused;
                case SocketException { SocketErrorCode: SocketError.TimedOut }:
                    return AttemptOutcome.ConnectTimeout;
                case HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError }:
                    return AttemptOutcome.TlsFailure;
                case HttpRequestException { HttpRequestError: HttpRequestError.InvalidResponse or HttpRequestError.HttpProtocolError }:
                case HttpIOException { HttpRequestError: HttpRequestError.InvalidResponse or HttpRequestError.HttpProtocolError }:
                    return AttemptOutcome.BadUpstreamResponse;
                case HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded }:
                case HttpIOException { HttpRequestError: HttpRequestError.ResponseEnded }:
                    return AttemptOutcome.UpstreamReset;
                case IOException or SocketException:
                    transport = true;
                    break;
            }
        }

        // No network error at all: the request was refused by the HTTP client before a byte left (a method or a
        // header value it cannot write), which says nothing about the pod.
        return transport ? AttemptOutcome.UpstreamReset : AttemptOutcome.Unforwardable;
    }

    private static bool Malformed(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is HttpIOException { HttpRequestError: HttpRequestError.InvalidResponse or HttpRequestError.HttpProtocolError }
                or HttpRequestException { HttpRequestError: HttpRequestError.InvalidResponse or HttpRequestError.HttpProtocolError })
            {
                return true;
            }
        }

        return false;
    }

    private static bool Has<T>(Exception? exception)
        where T : Exception
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is T)
            {
                return true;
            }
        }

        return false;
    }
}
