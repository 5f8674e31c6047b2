using System.Diagnostics;
using System.Security.Authentication;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.ObjectPool;
using OneHop.Core.Proxy.Http.Tracing;
using OneHop.Core.Telemetry.AccessLog;

namespace OneHop.Core.Proxy.Http.AccessLog;

/// <summary>
/// First in the pipeline when the access log is on: times the request, counts its body bytes both ways, lets the
/// request path fill in route, pod and attempts (<see cref="HttpAccessRecord"/> on the request's features), and
/// queues the finished record. Answers OneHop made up itself (refusals, 404 no route, 503 no endpoints, redirects,
/// 429) are logged like any other, with their <c>X-OneHop-Error</c> code.
/// </summary>
internal sealed class AccessLogMiddleware(RequestDelegate next, HttpAccessLog log, HttpTracing tracing, TimeProvider time)
{
    private readonly AccessLogWriter _writer = log.Writer ?? throw new InvalidOperationException("the access log is off");

    /// <summary>Records go back here once written: as many as the writer's queue holds are kept.</summary>
    private readonly ObjectPool<HttpAccessRecord> _records = new DefaultObjectPool<HttpAccessRecord>(new DefaultPooledObjectPolicy<HttpAccessRecord>(), AccessLogWriter.DefaultCapacity);

    public async Task InvokeAsync(HttpContext context)
    {
        var started = time.GetTimestamp();
        var record = HttpAccessRecord.Rent(_records);
        record.Time = time.GetUtcNow();
        context.Features.Set(record);
        var bodies = CountingBodies.Attach(context);
        var failed = false;
        try
        {
            await next(context);
        }
        catch
        {
            failed = true;
            throw;
        }
        finally
        {
            // The writer alone has the record from here; the features let go of it (a later read finds none).
            context.Features.Set<HttpAccessRecord>(null);
            if (record.Unlogged)
            {
                record.Done();
            }
            else
            {
                record.Duration = time.GetElapsedTime(started).TotalSeconds;
                record.BytesIn = bodies.Request.Bytes;
                record.BytesOut = bodies.Response.Bytes;
                Describe(record, context, failed);
                _writer.Enqueue(record);
            }
        }
    }

    private void Describe(HttpAccessRecord record, HttpContext context, bool failed)
    {
        var request = context.Request;
        var response = context.Response;
        record.Client = context.Connection.RemoteIpAddress?.ToString();
        record.Method = request.Method;
        record.Host = request.Host.Value;
        record.Path = request.PathBase.HasValue ? request.PathBase.Value + request.Path.Value : request.Path.Value;
        record.Protocol = request.Protocol;

        // An exception before the response started becomes Kestrel's 500.
        record.Status = failed && !response.HasStarted ? StatusCodes.Status500InternalServerError : response.StatusCode;
        record.Error = response.Headers[ErrorCodes.Header] is { Count: > 0 } code ? code.ToString() : null;
        if (context.Features.Get<ITlsHandshakeFeature>() is { } tls)
        {
            record.TlsVersion = TlsVersion(tls.Protocol);
            record.Sni = string.IsNullOrEmpty(tls.HostName) ? null : tls.HostName;
        }

        record.UserAgent = request.Headers.UserAgent is { Count: > 0 } agent ? agent.ToString() : null;
        record.TraceId ??= Activity.Current is { } activity ? activity.TraceId.ToHexString() : TraceIdOfUnsampledParent(request);
    }

    /// <summary>The trace a request under a client's unsampled parent belongs to: tracing passed it on without a span (<see cref="UnsampledParent"/>).</summary>
    private string? TraceIdOfUnsampledParent(HttpRequest request) =>
        tracing.Enabled && request.Headers.TraceParent is { Count: 1 } header && header[0] is { } value && UnsampledParent.Is(value) ? UnsampledParent.TraceId(value) : null;

    private static string? TlsVersion(SslProtocols protocol) => protocol switch
    {
        SslProtocols.Tls13 => "TLSv1.3",
        SslProtocols.Tls12 => "TLSv1.2",
        SslProtocols.None => null,
        _ => protocol.ToString(),
    };
}
