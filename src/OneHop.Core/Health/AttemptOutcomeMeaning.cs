namespace OneHop.Core.Health;

/// <summary>What each <see cref="AttemptOutcome"/> means for the endpoint and for a retry.</summary>
internal static class AttemptOutcomeMeaning
{
    /// <summary>
    /// True for what the endpoint did: 5xx, connect failures, resets, malformed answers, timeouts. What the client did
    /// (went away, stopped reading, sent a broken body or a request that cannot be forwarded) never counts.
    /// </summary>
    public static bool CountsAgainstPod(this AttemptOutcome outcome) => outcome is AttemptOutcome.PodError
        or AttemptOutcome.ConnectRefused or AttemptOutcome.ConnectTimeout or AttemptOutcome.TlsFailure
        or AttemptOutcome.UpstreamReset or AttemptOutcome.BadUpstreamResponse or AttemptOutcome.Timeout;

    /// <summary>True when no connection was made, so nothing was sent and any request may go to another endpoint.</summary>
    public static bool IsConnectFailure(this AttemptOutcome outcome) => outcome is AttemptOutcome.ConnectRefused or AttemptOutcome.ConnectTimeout;
}
