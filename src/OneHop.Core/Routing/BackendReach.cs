namespace OneHop.Core.Routing;

/// <summary>How OneHop reaches a Service's pods (annotation <c>onehop.dev/reach</c> on the Service).</summary>
internal enum BackendReach
{
    /// <summary>Straight to the pod IPs from the EndpointSlices: one hop (the default).</summary>
    Pods,

    /// <summary>
    /// Through kube-proxy: <c>nodeIP:nodePort</c> of the nodes that hold ready pods, weighted by how many, for when pod
    /// IPs are not reachable from OneHop's host. Costs a second hop whenever kube-proxy picks a pod on another node.
    /// </summary>
    NodePorts,
}
