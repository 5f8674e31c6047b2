namespace OneHop.Core.Health;

/// <summary>What <see cref="TrafficWindow.Read"/> saw: attempts, pod failures, their rate, and latency quantiles in seconds (null with no attempt).</summary>
internal readonly record struct TrafficSummary(long Requests, long Errors, double RequestsPerSecond, double? P50, double? P99);
