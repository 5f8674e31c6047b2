namespace OneHop.Core.Telemetry.AccessLog;

/// <summary>One access log line: an HTTP request (<see cref="HttpAccessRecord"/>) or an L4 connection (<see cref="ConnectionAccessRecord"/>).</summary>
internal abstract class AccessLogRecord
{
    /// <summary>When the request or connection began.</summary>
    public DateTimeOffset Time { get; set; }

    /// <summary>Writes the fields in a fixed order: <c>time</c> first, then the record's own.</summary>
    public abstract void WriteTo(IAccessLogFields fields);

    /// <summary>Called by the writer once the line is written or dropped, after which it never reads the record again.</summary>
    public virtual void Done()
    {
    }
}
