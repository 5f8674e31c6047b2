namespace OneHop.Core.Proxy.Http;

/// <summary>
/// Per-request feature shared by the retry loop and the response transform: whether this attempt's 502/503 may be
/// held back for a retry, and whether it was.
/// </summary>
internal sealed class RetryAttempt
{
    public bool MayRetryResponse { get; set; }

    public bool Suppressed { get; set; }
}
