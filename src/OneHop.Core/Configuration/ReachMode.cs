namespace OneHop.Core.Configuration;

/// <summary>
/// How OneHop reaches a Service's pods: <c>onehop.dev/reach</c> on the Service, else <c>defaults.reach</c> or
/// <c>--reach</c>. The mode a backend ends up in is its <c>Routing.BackendReach</c>.
/// </summary>
internal enum ReachMode
{
    /// <summary>Straight to the pod IPs (the default).</summary>
    Pods,

    /// <summary>Through <c>nodeIP:nodePort</c> of the nodes that hold ready pods.</summary>
    NodePorts,

    /// <summary>Pod IPs while a connect probe from OneHop reaches the pods' nodes' pod subnets, else node ports.</summary>
    Auto,
}
