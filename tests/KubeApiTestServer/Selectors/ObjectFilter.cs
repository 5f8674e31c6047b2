using System.Text.Json;
using KubeApiTestServer.Json;
using KubeApiTestServer.Resources;
using KubeApiTestServer.Storage;

namespace KubeApiTestServer.Selectors;

/// <summary>The label and field selectors of one LIST or WATCH request.</summary>
internal sealed class ObjectFilter(ResourceKind kind, LabelSelector labels, FieldSelector fields)
{
    public bool IsEmpty => labels.IsEmpty && fields.IsEmpty;

    /// <summary>Parses both selectors; throws <see cref="SelectorException"/> when either is invalid.</summary>
    public static ObjectFilter Parse(ResourceKind kind, string? labelSelector, string? fieldSelector) =>
        new(kind, LabelSelector.Parse(labelSelector), FieldSelector.Parse(fieldSelector, kind));

    public bool Matches(StoredObject stored)
    {
        if (IsEmpty)
        {
            return true;
        }

        var json = stored.Json;
        return labels.Matches(JsonObjects.GetLabels(json)) && fields.Matches(field => FieldValue(json, field));
    }

    private string? FieldValue(JsonElement json, string field) => field switch
    {
        "metadata.name" => JsonObjects.GetString(json, "metadata", "name"),
        "metadata.namespace" => JsonObjects.GetString(json, "metadata", "namespace") ?? "",
        "type" => JsonObjects.GetString(json, "type") ?? "Opaque",
        "spec.type" => JsonObjects.GetString(json, "spec", "type") ?? "ClusterIP",
        "spec.clusterIP" => JsonObjects.GetString(json, "spec", "clusterIP") ?? "",
        "spec.unschedulable" => JsonObjects.GetString(json, "spec", "unschedulable") ?? "false",
        _ => kind.SelectableFields.Contains(field) ? JsonObjects.GetString(json, field.Split('.')) : null,
    };
}
