using System.Text.Json.Nodes;
using KubeApiTestServer.Json;
using KubeApiTestServer.Resources;
using KubeApiTestServer.Storage;

namespace KubeApiTestServer.Objects;

/// <summary>
/// Emulates the DefaultIngressClass admission plugin: a new Ingress without a class (and without the legacy
/// annotation) gets the single IngressClass marked default; more than one default is refused with 403.
/// </summary>
internal static class IngressClassAdmission
{
    private const string DefaultAnnotation = "ingressclass.kubernetes.io/is-default-class";
    private const string LegacyClassAnnotation = "kubernetes.io/ingress.class";

    public static void Admit(ObjectStore store, JsonObject ingress, string name)
    {
        var spec = ingress["spec"] as JsonObject;
        if (spec?["ingressClassName"] is not null || ingress["metadata"]?["annotations"]?[LegacyClassAnnotation] is not null)
        {
            return;
        }

        var defaults = store.List(ResourceKinds.IngressClass, null).Items
            .Where(c => JsonObjects.GetString(c.Json, "metadata", "annotations", DefaultAnnotation) == "true")
            .ToList();
        if (defaults.Count == 0)
        {
            return;
        }

        if (defaults.Count > 1)
        {
            throw Statuses.Forbidden(
                ResourceKinds.Ingress,
                "create",
                null,
                name,
                null,
                "",
                $"{defaults.Count} default IngressClasses were found, only 1 allowed");
        }

        if (spec is null)
        {
            spec = [];
            ingress["spec"] = spec;
        }

        spec["ingressClassName"] = defaults[0].Key.Name;
    }
}
