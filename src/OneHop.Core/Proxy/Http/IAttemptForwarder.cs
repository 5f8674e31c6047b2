using Microsoft.AspNetCore.Http;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// Sends one attempt of a request to one endpoint and copies the answer to the client. Never throws on network or
/// protocol trouble: it says what happened. When the attempt failed before any byte of the answer went out, the
/// response is not started, so the caller may retry elsewhere or answer itself. Balancing, retries, accounting and
/// health are the caller's (<see cref="ProxyHandler"/>), the same whichever forwarder carries the bytes.
/// </summary>
internal interface IAttemptForwarder
{
    ValueTask<AttemptResult> ForwardAsync(HttpContext context, ForwardAttempt attempt, CancellationToken cancellationToken);
}
