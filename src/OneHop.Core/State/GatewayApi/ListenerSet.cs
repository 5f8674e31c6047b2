using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace OneHop.Core.State.GatewayApi;

/// <summary>
/// Listeners that join a Gateway from outside it (standard channel, v1): the Gateway takes them when its
/// <c>spec.allowedListeners</c> lets the ListenerSet's namespace in; routes attach to them by a parentRef of kind ListenerSet.
/// </summary>
public sealed class ListenerSet : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = GatewayApiNames.Group + "/v1";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "ListenerSet";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public ListenerSetSpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    public ListenerSetStatus? Status { get; set; }
}

public sealed class ListenerSetSpec
{
    /// <summary>The Gateway the listeners join (group gateway.networking.k8s.io, kind Gateway by default).</summary>
    [JsonPropertyName("parentRef")]
    public ParentGatewayReference? ParentRef { get; set; }

    /// <summary>Listeners as a Gateway's, each named uniquely within the ListenerSet.</summary>
    [JsonPropertyName("listeners")]
    public IList<GatewayListener>? Listeners { get; set; }
}

/// <summary>A ListenerSet's reference to its Gateway.</summary>
public sealed class ParentGatewayReference : ObjectReference
{
}

public sealed class ListenerSetStatus
{
    [JsonPropertyName("conditions")]
    public IList<V1Condition>? Conditions { get; set; }

    [JsonPropertyName("listeners")]
    public IList<ListenerStatus>? Listeners { get; set; }
}
