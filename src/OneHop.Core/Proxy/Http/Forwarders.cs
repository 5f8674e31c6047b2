using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using OneHop.Core.Health;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// Which forwarder carries a backend's requests: OneHop's own for plain and TLS HTTP/1.1 backends (unless run with
/// <c>--http1-forwarder yarp</c>), YARP's for HTTP/2, h2c and gRPC backends.
/// </summary>
internal sealed class Forwarders(YarpAttemptForwarder yarp, LeanAttemptForwarder lean, Http1ForwarderKind http1)
{
    /// <remarks>
    /// An HTTP/2 extended CONNECT (WebSockets over HTTP/2, RFC 8441) goes to YARP's even for an HTTP/1.1 backend:
    /// YARP turns it into an HTTP/1.1 upgrade and the 101 back into a 200; the lean forwarder relays HTTP/1.1 as is.
    /// </remarks>
    public IAttemptForwarder For(BackendState backend, HttpContext context) =>
        http1 == Http1ForwarderKind.Lean && LeanAttemptForwarder.Carries(backend.Backend)
            && context.Features.Get<IHttpExtendedConnectFeature>() is not { IsExtendedConnect: true } ? lean : yarp;
}
