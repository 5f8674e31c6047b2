using Microsoft.Extensions.ObjectPool;

namespace OneHop.Core.Telemetry.AccessLog;

/// <summary>
/// One client request as the access log tells it (docs/operations.md, "Access log"): filled by the request path
/// while it runs, then handed whole to the writer, which alone reads it afterwards. A record taken with
/// <see cref="Rent"/> goes back to its pool, cleared, once the writer is done with it: a record per request was a
/// fifth of what the access log allocated.
/// </summary>
internal sealed class HttpAccessRecord : AccessLogRecord
{
    private ObjectPool<HttpAccessRecord>? _pool;

    /// <summary>A cleared record from <paramref name="pool"/>, which gets it back after <see cref="Done"/>.</summary>
    public static HttpAccessRecord Rent(ObjectPool<HttpAccessRecord> pool)
    {
        var record = pool.Get();
        record._pool = pool;
        return record;
    }

    public override void Done()
    {
        if (_pool is not { } pool)
        {
            return;
        }

        _pool = null;
        (Client, Method, Host, Path, Protocol, Error, Route, Backend, Upstream, Pod, Node, Zone) = (null, null, null, null, null, null, null, null, null, null, null, null);
        (TlsVersion, Sni, UserAgent, TraceId, Auth) = (null, null, null, null, null);
        (Status, BytesIn, BytesOut, Duration, UpstreamStatus, UpstreamTime, Attempts, AuthTime, QueueTime) = (0, 0, 0, 0, 0, 0, 0, 0, 0);
        Time = default;
        Unlogged = false;
        pool.Return(this);
    }

    /// <summary>The request's route keeps it out of the log: the record goes back unwritten.</summary>
    public bool Unlogged { get; set; }

    public string? Client { get; set; }

    public string? Method { get; set; }

    public string? Host { get; set; }

    public string? Path { get; set; }

    public string? Protocol { get; set; }

    public int Status { get; set; }

    /// <summary>The <c>X-OneHop-Error</c> code of an answer OneHop made up itself.</summary>
    public string? Error { get; set; }

    public long BytesIn { get; set; }

    public long BytesOut { get; set; }

    public double Duration { get; set; }

    /// <summary>Where the route came from, e.g. <c>Ingress default/web spec.rules[0].http.paths[0]</c>.</summary>
    public string? Route { get; set; }

    public string? Backend { get; set; }

    /// <summary>The last attempt's pod address, <c>ip:port</c>.</summary>
    public string? Upstream { get; set; }

    public string? Pod { get; set; }

    public string? Node { get; set; }

    public string? Zone { get; set; }

    /// <summary>The status the last attempt's pod answered; 0 when none answered.</summary>
    public int UpstreamStatus { get; set; }

    public double UpstreamTime { get; set; }

    public int Attempts { get; set; }

    /// <summary>Seconds the request waited in its capped backend's queue (HAProxy's Tw); 0 when it did not wait.</summary>
    public double QueueTime { get; set; }

    /// <summary>Where auth-url's answer came from: <c>service</c> (a subrequest) or <c>cache</c> (auth-cache-key); null without a check.</summary>
    public string? Auth { get; set; }

    /// <summary>Seconds the authentication subrequest took (with <see cref="Auth"/> <c>service</c>).</summary>
    public double AuthTime { get; set; }

    public string? TlsVersion { get; set; }

    public string? Sni { get; set; }

    public string? UserAgent { get; set; }

    public string? TraceId { get; set; }

    public override void WriteTo(IAccessLogFields fields)
    {
        fields.String("type", "http");
        fields.String("client", Client);
        fields.String("method", Method);
        fields.String("host", Host);
        fields.String("path", Path);
        fields.String("protocol", Protocol);
        fields.Number("status", Status);
        fields.String("error", Error);
        fields.Number("bytes_in", BytesIn);
        fields.Number("bytes_out", BytesOut);
        fields.Seconds("duration", Duration);
        fields.String("route", Route);
        fields.String("backend", Backend);
        fields.String("upstream", Upstream);
        fields.String("pod", Pod);
        fields.String("node", Node);
        fields.String("zone", Zone);
        if (Attempts > 0)
        {
            if (UpstreamStatus > 0)
            {
                fields.Number("upstream_status", UpstreamStatus);
            }

            fields.Seconds("upstream_time", UpstreamTime);
            fields.Number("attempts", Attempts);
        }

        if (QueueTime > 0)
        {
            fields.Seconds("queue_time", QueueTime);
        }

        fields.String("auth", Auth);
        if (Auth == "service")
        {
            fields.Seconds("auth_time", AuthTime);
        }

        fields.String("tls_version", TlsVersion);
        fields.String("sni", Sni);
        fields.String("user_agent", UserAgent);
        fields.String("trace_id", TraceId);
    }
}
