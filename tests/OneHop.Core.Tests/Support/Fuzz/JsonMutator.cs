using System.Text.Json.Nodes;

namespace OneHop.Core.Tests.Support.Fuzz;

/// <summary>
/// Applies <see cref="Mutation"/>s to a JSON tree: any value can become null, a hostile string or number, an empty or
/// null-holding list, be removed or duplicated, and any object can gain an annotation with a hostile value.
/// </summary>
internal static class JsonMutator
{
    /// <summary>Applies the mutations in order. Direct children of <paramref name="root"/> (whole objects) are never removed.</summary>
    public static void Apply(JsonArray root, IEnumerable<Mutation> mutations)
    {
        foreach (var mutation in mutations)
        {
            var places = Places(root);
            if (places.Count == 0)
            {
                return;
            }

            Apply(root, places[mutation.Target % places.Count], mutation);
        }
    }

    private static void Apply(JsonArray root, (JsonNode Parent, string? Key, int Index) place, Mutation mutation)
    {
        JsonNode? replacement;
        switch (mutation.Kind)
        {
            case MutationKind.Null:
                replacement = null;
                break;
            case MutationKind.HostileString:
                replacement = JsonValue.Create(HostileValues.String(mutation.Value));
                break;
            case MutationKind.HostileNumber:
                replacement = JsonValue.Create(HostileValues.Number(mutation.Value));
                break;
            case MutationKind.EmptyArray:
                replacement = new JsonArray();
                break;
            case MutationKind.ArrayOfNull:
                replacement = new JsonArray((JsonNode?)null);
                break;
            case MutationKind.EmptyObject:
                replacement = new JsonObject();
                break;
            case MutationKind.Boolean:
                replacement = JsonValue.Create(mutation.Value % 2 == 0);
                break;
            case MutationKind.Remove when place.Parent is JsonObject o:
                o.Remove(place.Key!);
                return;
            case MutationKind.Remove when place.Parent is JsonArray a && !ReferenceEquals(a, root):
                a.RemoveAt(place.Index);
                return;
            case MutationKind.Duplicate when place.Parent is JsonArray a && !ReferenceEquals(a, root):
                a.Insert(place.Index, a[place.Index]?.DeepClone());
                return;
            case MutationKind.HostileAnnotation:
                var target = Get(place) as JsonObject ?? place.Parent as JsonObject;
                if (target is not null)
                {
                    var metadata = target["metadata"] as JsonObject ?? target;
                    var annotations = metadata["annotations"] as JsonObject;
                    if (annotations is null)
                    {
                        annotations = [];
                        metadata["annotations"] = annotations;
                    }

                    annotations[HostileValues.AnnotationKey(mutation.Target)] = HostileValues.String(mutation.Value);
                }

                return;
            default:
                replacement = JsonValue.Create(HostileValues.String(mutation.Value));
                break;
        }

        if (place.Parent is JsonObject obj)
        {
            obj[place.Key!] = replacement;
        }
        else if (place.Parent is JsonArray array)
        {
            array[place.Index] = ReferenceEquals(array, root) ? replacement ?? new JsonObject() : replacement;
        }
    }

    private static JsonNode? Get((JsonNode Parent, string? Key, int Index) place) =>
        place.Parent is JsonObject o ? o[place.Key!] : ((JsonArray)place.Parent)[place.Index];

    /// <summary>Every value in the tree, as (its container, its key or index), in document order.</summary>
    private static List<(JsonNode Parent, string? Key, int Index)> Places(JsonNode root)
    {
        var places = new List<(JsonNode, string?, int)>();
        Walk(root, places);
        return places;
    }

    private static void Walk(JsonNode node, List<(JsonNode, string?, int)> places)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, child) in o.ToList())
                {
                    places.Add((o, key, 0));
                    if (child is not null)
                    {
                        Walk(child, places);
                    }
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    places.Add((a, null, i));
                    if (a[i] is { } child)
                    {
                        Walk(child, places);
                    }
                }

                break;
        }
    }
}
