using Microsoft.AspNetCore.Http;
using OneHop.Core.Configuration;
using OneHop.Core.Proxy.Http.Tracing;
using OneHop.Core.Proxy.Http1;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// What the lean HTTP/1.1 forwarder changes in a request's head, the same as <see cref="ForwardingTransformer"/> does
/// for YARP's: who the client is (<see cref="ClientIdentity"/>), written straight into the send buffer without
/// allocating in the default mode (set, with or without trusted proxies in front); and which pod answers are held back for a retry. One instance per
/// forwarded-headers setting.
/// </summary>
internal sealed class ForwardingShape(ForwardedHeadersConfig forwarded) : Http1RequestShape
{
    private ErrorPagesShape? _errorPages;

    public ForwardedHeadersConfig Forwarded => forwarded;

    /// <summary>This shape for routes with error pages: it also holds back the 4xx answers the request's error pages replace.</summary>
    public Http1RequestShape WithErrorPages => _errorPages ??= new ErrorPagesShape(this);

    public override bool Skips(string headerName) => ClientIdentity.Skips(headerName, forwarded) || TraceContext.Replaces(headerName);

    public override void WriteHeaders(ref Http1HeaderWriter writer, HttpContext context)
    {
        if (TraceContext.Attempt is { } attempt)
        {
            writer.Write(TraceContext.Parent, attempt.Id);
            if (attempt.TraceStateString is { Length: > 0 } state)
            {
                writer.Write(TraceContext.State, state);
            }
        }

        if (forwarded.XForwarded == ForwardedAction.Set)
        {
            var connection = context.Connection;
            var trusted = ClientIdentity.Trusted(context, forwarded);
            if (trusted?.ForwardedFor is { } full)
            {
                writer.Write(ClientIdentity.For, full);
            }
            else
            {
                WriteAddress(ref writer, ClientIdentity.For, connection.RemoteIpAddress);
            }

            WriteAddress(ref writer, ClientIdentity.RealIp, connection.RemoteIpAddress);
            writer.Write(ClientIdentity.Proto, context.Request.Scheme);
            writer.Write(ClientIdentity.Host, trusted?.Host ?? ClientIdentity.ClientHost(context));
            if (trusted?.Port is { } port)
            {
                writer.Write(ClientIdentity.Port, port);
            }
            else
            {
                writer.Start(ClientIdentity.Port);
                writer.Append(connection.LocalPort);
                writer.End();
            }

            if (forwarded.Forwarded == ForwardedAction.Off && context.Features.Get<ProxyRequest>()?.ForwardedPrefix is { } prefix)
            {
                // A route's own X-Forwarded-Prefix (the client's was skipped); with Forwarded on, Write below adds it.
                writer.Write(ClientIdentity.Prefix, prefix);
            }

            if (forwarded.Forwarded == ForwardedAction.Off)
            {
                return;
            }

            Write(ref writer, context, forwarded with { XForwarded = ForwardedAction.Off });
            return;
        }

        Write(ref writer, context, forwarded);
    }

    private static void WriteAddress(ref Http1HeaderWriter writer, string name, System.Net.IPAddress? address)
    {
        writer.Start(name);
        if (address is not null)
        {
            writer.Append(address);
        }
        else
        {
            writer.Append("unknown");
        }

        writer.End();
    }

    /// <summary>The modes that append to what the client sent, and Forwarded: their values are built as strings.</summary>
    private static void Write(ref Http1HeaderWriter writer, HttpContext context, ForwardedHeadersConfig config)
    {
        var headers = new List<(string Name, string Value)>(5);
        ClientIdentity.Write(context, config, headers, static (list, name, value) => list.Add((name, value)));
        foreach (var (name, value) in headers)
        {
            writer.Write(name, value);
        }
    }

    public override void Relayed(HttpContext context, long sentBodyBytes, long receivedBodyBytes)
    {
        // Added: a closed pooled connection replaced once is the same attempt.
        if (context.Features.Get<ProxyRequest>() is { } request)
        {
            request.SentBodyBytes += sentBodyBytes;
            request.ReceivedBodyBytes += receivedBodyBytes;
        }
    }

    public override bool HoldsBack(int status, HttpContext context) =>
        status >= StatusCodes.Status500InternalServerError && context.Features.Get<ProxyRequest>() is { } request && request.HoldsBack(status);

    /// <remarks>A route with a retry of its own counts every attempt (the conformance suite counts them at the pod).</remarks>
    public override bool ReplacesClosedConnection(HttpContext context) => context.Features.Get<ProxyRequest>() is not { Retry: not null };

    /// <summary><see cref="ForwardingShape"/> with the error pages' statuses held back too, whatever their class.</summary>
    private sealed class ErrorPagesShape(ForwardingShape shape) : Http1RequestShape
    {
        public override bool Skips(string headerName) => shape.Skips(headerName);

        public override void WriteHeaders(ref Http1HeaderWriter writer, HttpContext context) => shape.WriteHeaders(ref writer, context);

        public override bool HoldsBack(int status, HttpContext context) =>
            status >= StatusCodes.Status400BadRequest && context.Features.Get<ProxyRequest>() is { } request && request.HoldsBack(status);

        public override bool ReplacesClosedConnection(HttpContext context) => shape.ReplacesClosedConnection(context);

        public override void Relayed(HttpContext context, long sentBodyBytes, long receivedBodyBytes) => shape.Relayed(context, sentBodyBytes, receivedBodyBytes);
    }
}
