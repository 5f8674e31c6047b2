namespace OneHop.Core.Configuration;

/// <summary>Per client address: a token bucket of <see cref="Burst"/> requests refilled at <see cref="RequestsPerSecond"/>; beyond, 429.</summary>
internal sealed record RateLimitConfig(int RequestsPerSecond, int Burst);
