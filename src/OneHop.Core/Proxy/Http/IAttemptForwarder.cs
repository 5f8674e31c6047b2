using Microsoft.AspNetCore.Http;
using OneHop.Core.Health;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// Sends one attempt of a request to one endpoint and copies the answer to the client. Never throws on network or
/// protocol trouble: it says what happened. When the attempt failed before any byte of the answer went out, the
/// response is not started, so the caller may retry elsewhere or answer itself. Balancing, retries, accounting and
/// health are the caller's (<see cref="ProxyHandler"/>), the same whichever forwarder carries the bytes.
/// </summary>
internal interface IAttemptForwarder
{
    /// <remarks>
    /// A pod's 502 or 503 that the attempt may hold back (<see cref="ForwardAttempt.MayHoldBack"/>) is left unsent,
    /// with the response's status set to it, and the outcome <see cref="AttemptOutcome.PodError"/>.
    /// </remarks>
    ValueTask<AttemptOutcome> ForwardAsync(HttpContext context, ForwardAttempt attempt, CancellationToken cancellationToken);
}
