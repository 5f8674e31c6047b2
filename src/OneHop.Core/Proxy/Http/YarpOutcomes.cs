using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using OneHop.Core.Health;
using Yarp.ReverseProxy.Forwarder;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// Classifies an attempt YARP's forwarder made, from the error it reports (<see cref="IForwarderErrorFeature"/>) and the
/// status: the YARP side of the one <see cref="AttemptOutcome"/> every forwarder gives.
/// </summary>
internal static class YarpOutcomes
{
    /// <param name="routeTimedOut">The route's own timeout (<c>onehop.dev/timeout</c>) ran out: it cancels the request's token as a client that went away does.</param>
    public static AttemptOutcome Classify(HttpContext context, ForwarderError error, bool routeTimedOut)
    {
        if (error == ForwarderError.None)
        {
            return context.Response.StatusCode >= 500 ? AttemptOutcome.PodError : AttemptOutcome.Success;
        }

        var exception = context.Features.Get<IForwarderErrorFeature>()?.Exception;
        return error switch
        {
            _ when routeTimedOut => AttemptOutcome.Timeout,

            // SocketsHttpHandler reports its ConnectTimeout as a cancellation carrying a TimeoutException; YARP's own
            // activity timeout carries none.
            ForwarderError.RequestTimedOut => Has<TimeoutException>(exception) ? AttemptOutcome.ConnectTimeout : AttemptOutcome.Timeout,
            ForwarderError.Request => BeforeResponse(exception),
            ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled
                or ForwarderError.UpgradeRequestCanceled or ForwarderError.UpgradeResponseCanceled => AttemptOutcome.ClientAbort,

            // With the client still there, only the activity timeout cancels a response body, and YARP does not say
            // whether it waited on the pod or on the client (Kestrel's minimum data rate gives a large write minutes).
            ForwarderError.ResponseBodyCanceled => context.RequestAborted.IsCancellationRequested ? AttemptOutcome.ClientAbort : AttemptOutcome.Stalled,
            ForwarderError.RequestBodyClient => AttemptOutcome.BadRequestBody,
            ForwarderError.ResponseBodyClient or ForwarderError.UpgradeRequestClient or ForwarderError.UpgradeResponseClient => AttemptOutcome.ClientAbort,
            ForwarderError.ResponseHeaders => AttemptOutcome.BadUpstreamResponse,
            ForwarderError.ResponseBodyDestination => Malformed(exception) ? AttemptOutcome.BadUpstreamResponse : AttemptOutcome.UpstreamReset,
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
