using KubeApiTestServer.Resources;
using Microsoft.AspNetCore.Http;

namespace KubeApiTestServer.Http;

/// <summary>A request path resolved against contract section 1: kind, namespace, name and subresource.</summary>
internal sealed record ApiRoute(ResourceKind Kind, string? Namespace, string? Name, string? Subresource, bool LegacyWatch)
{
    public bool IsCollection => Name is null;

    /// <summary>Parses <c>/api/v1/...</c> and <c>/apis/GROUP/VERSION/...</c>; null when no served resource matches.</summary>
    public static ApiRoute? Parse(PathString path)
    {
        var segments = (path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        string apiVersion;
        int index;
        if (segments.Length >= 2 && segments[0] == "api")
        {
            apiVersion = segments[1];
            index = 2;
        }
        else if (segments.Length >= 3 && segments[0] == "apis")
        {
            apiVersion = segments[1] + "/" + segments[2];
            index = 3;
        }
        else
        {
            return null;
        }

        var legacyWatch = index < segments.Length && segments[index] == "watch";
        if (legacyWatch)
        {
            index++;
        }

        string? ns = null;
        if (index + 2 < segments.Length && segments[index] == "namespaces")
        {
            ns = Uri.UnescapeDataString(segments[index + 1]);
            index += 2;
        }

        if (index >= segments.Length)
        {
            return null;
        }

        var kind = ResourceKinds.Find(apiVersion, segments[index]);
        if (kind is null || (ns is not null && !kind.Namespaced))
        {
            return null;
        }

        var rest = segments[(index + 1)..];
        var name = rest.Length > 0 ? Uri.UnescapeDataString(rest[0]) : null;
        var subresource = rest.Length > 1 ? rest[1] : null;
        if (rest.Length > 2
            || (name is not null && kind.Namespaced && ns is null)
            || (subresource is not null && (subresource != "status" || !kind.HasStatusSubresource))
            || (legacyWatch && subresource is not null))
        {
            return null;
        }

        return new ApiRoute(kind, ns, name, subresource, legacyWatch);
    }
}
