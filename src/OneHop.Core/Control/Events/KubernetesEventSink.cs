using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace OneHop.Core.Control.Events;

/// <summary>Writes Events through KubernetesClient's <c>events.k8s.io/v1</c> API.</summary>
internal sealed class KubernetesEventSink(IKubernetes client) : IEventSink
{
    public Task CreateAsync(Eventsv1Event body, CancellationToken cancellationToken) =>
        client.EventsV1.CreateNamespacedEventAsync(body, body.Metadata.NamespaceProperty, cancellationToken: cancellationToken);

    public Task PatchSeriesAsync(string @namespace, string name, Eventsv1EventSeries series, CancellationToken cancellationToken)
    {
        var patch = new JsonObject
        {
            ["series"] = new JsonObject
            {
                ["count"] = series.Count,
                ["lastObservedTime"] = MicroTime(series.LastObservedTime),
            },
        };
        return client.EventsV1.PatchNamespacedEventAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), name, @namespace, cancellationToken: cancellationToken);
    }

    /// <summary>MicroTime as the API server parses it: always six fraction digits.</summary>
    public static string MicroTime(DateTime time) =>
        time.ToUniversalTime().ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'ffffff'Z'", CultureInfo.InvariantCulture);
}
