namespace OneHop.Core.Telemetry.AccessLog;

/// <summary>The access log's state in <c>/api/status</c>: lines written, dropped (queue full) and lost (output failed).</summary>
/// <param name="Target">stdout, stderr or the file's path.</param>
/// <param name="Dropped">Lines not queued because the queue was full: the writer could not keep up.</param>
/// <param name="Failed">Lines queued but lost because the output failed (a full disk, an unwritable file).</param>
/// <param name="LastError">The latest output failure, e.g. "No space left on device".</param>
internal sealed record AccessLogStatus(string Target, string Format, long Written, long Dropped, long Failed, string? LastError, DateTimeOffset? LastErrorAt);
