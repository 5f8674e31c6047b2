namespace OneHop.Core.Telemetry.AccessLog;

/// <summary>How access log lines are written (docs/operations.md, "Access log").</summary>
internal enum AccessLogFormat
{
    /// <summary>One JSON object per line.</summary>
    Json,

    /// <summary>logfmt: <c>key=value</c> pairs, values quoted when they hold spaces, quotes or <c>=</c>.</summary>
    Text,
}
