using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using KubeApiTestServer.Json;
using KubeApiTestServer.Resources;

namespace KubeApiTestServer.Objects;

/// <summary>The generic registry rules shared by every kind: type meta, names, namespaces and system fields.</summary>
internal static partial class ObjectRules
{
    private const string SubdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    private const string NameAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    /// <summary>Rejects a body whose kind or apiVersion names another type (400, as the real decoder does).</summary>
    public static void CheckTypeMeta(ResourceKind kind, JsonObject body)
    {
        var apiVersion = (string?)(body["apiVersion"] as JsonValue);
        var bodyKind = (string?)(body["kind"] as JsonValue);
        if (!string.IsNullOrEmpty(apiVersion) && apiVersion != kind.ApiVersion)
        {
            throw Statuses.BadRequest(
                $"the API version in the data ({apiVersion}) does not match the expected API version ({kind.ApiVersion})");
        }

        if (!string.IsNullOrEmpty(bodyKind) && bodyKind != kind.Kind)
        {
            throw Statuses.BadRequest($"the kind in the data ({bodyKind}) does not match the expected kind ({kind.Kind})");
        }
    }

    /// <summary>Puts the request namespace on the object (400 when the body names another one).</summary>
    public static void ApplyNamespace(ResourceKind kind, JsonObject metadata, string ns)
    {
        if (!kind.Namespaced)
        {
            metadata.Remove("namespace");
            return;
        }

        var bodyNamespace = (string?)(metadata["namespace"] as JsonValue);
        if (!string.IsNullOrEmpty(bodyNamespace) && bodyNamespace != ns)
        {
            throw Statuses.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }

        metadata["namespace"] = ns;
    }

    public static string? Name(JsonObject metadata) => (string?)(metadata["name"] as JsonValue);

    /// <summary>Fills the name from <c>generateName</c> when it is empty, with a suffix derived from the RV.</summary>
    public static void GenerateName(JsonObject metadata, long seed)
    {
        if (!string.IsNullOrEmpty(Name(metadata)) || (string?)(metadata["generateName"] as JsonValue) is not { Length: > 0 } prefix)
        {
            return;
        }

        var suffix = new char[5];
        var value = (ulong)seed * 2654435761UL;
        for (var i = 0; i < suffix.Length; i++)
        {
            suffix[i] = NameAlphabet[(int)(value % (ulong)NameAlphabet.Length)];
            value /= (ulong)NameAlphabet.Length;
        }

        metadata["name"] = prefix + new string(suffix);
    }

    public static void ValidateName(string? name, List<FieldError> errors)
    {
        if (string.IsNullOrEmpty(name))
        {
            errors.Add(FieldError.Required("metadata.name", "name or generateName is required"));
        }
        else if (name.Length > 253 || !Subdomain().IsMatch(name))
        {
            errors.Add(FieldError.Invalid("metadata.name", FieldError.Quote(name), SubdomainMessage));
        }
    }

    /// <summary>Sets the fields the server owns on create: uid, creationTimestamp and generation.</summary>
    public static void StampCreate(ResourceKind kind, JsonObject metadata, long resourceVersion, DateTimeOffset now)
    {
        metadata["uid"] = Uid(resourceVersion);
        metadata["creationTimestamp"] = FormatTime(now);
        metadata.Remove("deletionTimestamp");
        metadata.Remove("deletionGracePeriodSeconds");
        metadata.Remove("selfLink");
        if (kind.Generation == GenerationPolicy.None)
        {
            metadata.Remove("generation");
        }
        else
        {
            metadata["generation"] = 1;
        }
    }

    /// <summary>Keeps the system fields of the stored object on update and bumps generation per the kind's policy.</summary>
    public static void StampUpdate(ResourceKind kind, JsonObject updated, JsonObject current)
    {
        var metadata = JsonObjects.Metadata(updated);
        var old = JsonObjects.Metadata(current);
        foreach (var field in (string[])["uid", "creationTimestamp", "namespace", "name"])
        {
            if (old[field] is { } value)
            {
                metadata[field] = value.DeepClone();
            }
        }

        if (kind.Generation == GenerationPolicy.None)
        {
            metadata.Remove("generation");
            return;
        }

        var generation = (long?)(old["generation"] as JsonValue) ?? 1;
        metadata["generation"] = GenerationChanged(kind, updated, current) ? generation + 1 : generation;
    }

    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'", CultureInfo.InvariantCulture);

    public static string Uid(long resourceVersion) =>
        string.Create(CultureInfo.InvariantCulture, $"6f6e6568-6f70-4000-8000-{resourceVersion:x12}");

    private static bool GenerationChanged(ResourceKind kind, JsonObject updated, JsonObject current)
    {
        if (kind.Generation == GenerationPolicy.Spec)
        {
            return !JsonNode.DeepEquals(updated["spec"], current["spec"]);
        }

        var labelsChanged = kind.Generation == GenerationPolicy.NonMetadata
            && !JsonNode.DeepEquals(updated["metadata"]?["labels"], current["metadata"]?["labels"]);
        var names = updated.Select(p => p.Key).Union(current.Select(p => p.Key))
            .Where(n => n is not ("metadata" or "kind" or "apiVersion"));
        return labelsChanged || names.Any(n => !JsonNode.DeepEquals(updated[n], current[n]));
    }

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();
}
