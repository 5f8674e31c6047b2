using OneHop.Core.Health;

namespace OneHop.Core.Proxy.Http;

/// <summary>Which forwarder carries a backend's requests.</summary>
internal sealed class Forwarders(YarpAttemptForwarder yarp)
{
#pragma warning disable IDE0060 // The backend's protocol picks the forwarder once OneHop's own HTTP/1.1 forwarder is in.
    public IAttemptForwarder For(BackendState backend) => yarp;
#pragma warning restore IDE0060
}
