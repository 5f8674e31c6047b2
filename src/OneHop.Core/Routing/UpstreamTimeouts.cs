namespace OneHop.Core.Routing;

/// <summary>
/// A route's own limits on the conversation with a pod, in nginx's terms (ingress-nginx's <c>proxy-connect-timeout</c>,
/// <c>proxy-read-timeout</c>, <c>proxy-send-timeout</c>, <c>proxy-next-upstream-timeout</c>); each null keeps the config
/// file's <c>defaults</c>.
/// </summary>
/// <param name="Connect">Longest a connection (TCP and TLS handshake) may take before the attempt fails as a connect timeout
/// and the next pod is tried (<c>defaults.connectTimeout</c> otherwise).</param>
/// <param name="Read">Longest the pod may stay silent between two reads, waiting for the response head included: 504
/// before the response started, the connection cut after (<c>defaults.requestTimeout</c> otherwise).</param>
/// <param name="Send">Longest a write of the request body to the pod may wait (the read timeout otherwise).</param>
internal sealed record UpstreamTimeouts(TimeSpan? Connect, TimeSpan? Read, TimeSpan? Send)
{
    /// <summary>
    /// How long after the first attempt began another may still begin (nginx's <c>proxy_next_upstream_timeout</c>):
    /// past it a failed attempt is the answer, however many tries are left; null for no such limit.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public TimeSpan? NextTryWithin { get; init; }
}
