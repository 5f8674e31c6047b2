using OneHop.Core.Health;

namespace OneHop.Core.Proxy.Http;

/// <summary>What an attempt came to: its outcome, and whether the pod's 502/503 was held back (not sent) so the request can be retried.</summary>
internal readonly record struct AttemptResult(AttemptOutcome Outcome, bool HeldBack = false);
