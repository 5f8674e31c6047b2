namespace OneHop.Core.Telemetry.Tracing;

/// <summary>Tracing in <c>/api/status</c>: where spans go and how many were exported or lost (collector unreachable or refusing).</summary>
internal sealed record TracingStatus(string Endpoint, double SampleRatio, long ExportedSpans, long FailedSpans, DateTimeOffset? LastFailureAt);
