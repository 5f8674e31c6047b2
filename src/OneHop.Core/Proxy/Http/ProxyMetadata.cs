namespace OneHop.Core.Proxy.Http;

/// <summary>Keys of the metadata OneHop puts on YARP routes, clusters and destinations.</summary>
internal static class ProxyMetadata
{
    /// <summary>Route: the snapshot version whose route table matches requests for it.</summary>
    public const string TableVersion = "onehop.table";

    /// <summary>Route: its index in that route table.</summary>
    public const string RouteIndex = "onehop.route";

    /// <summary>Route: set, append or off, for the X-Forwarded-* headers.</summary>
    public const string ForwardedAction = "onehop.forwarded";

    /// <summary>Route: set, append or off, for the RFC 7239 Forwarded header.</summary>
    public const string RfcForwardedAction = "onehop.rfc-forwarded";

    /// <summary>Cluster: the backend's display name (metrics, 503 bodies).</summary>
    public const string BackendName = "onehop.backend";

    /// <summary>Cluster: why the backend has no endpoints, when it is a configuration problem.</summary>
    public const string Problem = "onehop.problem";

    /// <summary>Cluster: the backend policy, so that a policy change is a cluster change for YARP.</summary>
    public const string Policy = "onehop.policy";

    /// <summary>Cluster: the upstream connection settings in force (connect and idle timeouts), so that changing them makes a new client.</summary>
    public const string ClientSettings = "onehop.client";

    /// <summary>Cluster: the PEM CA bundle an https upstream's certificates are verified against.</summary>
    public const string UpstreamCa = "onehop.upstream-ca";

    /// <summary>Cluster: the zone this OneHop replica runs in.</summary>
    public const string LocalZone = "onehop.local-zone";

    /// <summary>Cluster: the share of traffic entering through this zone, when configured.</summary>
    public const string ZoneTrafficShare = "onehop.zone-traffic-share";

    /// <summary>Destination: EndpointSlice hints.forZones, comma-separated.</summary>
    public const string ZoneHints = "onehop.hints";

    /// <summary>Destination: <c>Ready</c> or <c>Terminating</c>.</summary>
    public const string EndpointState = "onehop.state";

    /// <summary>Destination: the pod name, or the address when there is no pod.</summary>
    public const string Pod = "onehop.pod";

    public const string Zone = "onehop.zone";

    public const string Node = "onehop.node";

    public const string Weight = "onehop.weight";
}
