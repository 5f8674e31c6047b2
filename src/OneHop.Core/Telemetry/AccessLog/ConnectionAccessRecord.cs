namespace OneHop.Core.Telemetry.AccessLog;

/// <summary>One TCP, TLS-passthrough or UDP connection (session), written when it closes.</summary>
internal sealed class ConnectionAccessRecord : AccessLogRecord
{
    /// <summary><c>tcp</c>, <c>tls-passthrough</c> or <c>udp</c>.</summary>
    public required string Protocol { get; init; }

    public string? Client { get; init; }

    public string? Listener { get; init; }

    public string? Route { get; init; }

    public string? Backend { get; init; }

    public string? Upstream { get; init; }

    public string? Pod { get; init; }

    public string? Node { get; init; }

    public string? Zone { get; init; }

    public string? Sni { get; init; }

    public long BytesIn { get; init; }

    public long BytesOut { get; init; }

    public double Duration { get; init; }

    /// <summary>Why it closed, e.g. <c>client-closed</c>, <c>pod-closed</c>, <c>idle-timeout</c>.</summary>
    public string? Close { get; init; }

    /// <summary>Seconds it waited in its capped backend's queue; 0 when it did not.</summary>
    public double QueueTime { get; init; }

    public override void WriteTo(IAccessLogFields fields)
    {
        fields.String("type", Protocol);
        fields.String("client", Client);
        fields.String("listener", Listener);
        fields.String("route", Route);
        fields.String("backend", Backend);
        fields.String("upstream", Upstream);
        fields.String("pod", Pod);
        fields.String("node", Node);
        fields.String("zone", Zone);
        fields.String("sni", Sni);
        fields.Number("bytes_in", BytesIn);
        fields.Number("bytes_out", BytesOut);
        fields.Seconds("duration", Duration);
        fields.String("close", Close);
        if (QueueTime > 0)
        {
            fields.Seconds("queue_time", QueueTime);
        }
    }
}
