using System.Text.Json.Nodes;
using KubeApiTestServer.Resources;

namespace KubeApiTestServer.Objects;

/// <summary>Builds the <c>Status</c> errors of apimachinery's <c>pkg/api/errors</c>, with the real messages.</summary>
internal static class Statuses
{
    public static KubeApiException Failure(
        int code, string reason, string message, JsonObject? details = null, JsonObject? listMeta = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = listMeta ?? new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
        };
        if (details is not null)
        {
            status["details"] = details;
        }

        status["code"] = code;
        return new KubeApiException(status);
    }

    public static JsonObject Success(ResourceKind kind, string name, string? uid)
    {
        var details = Details(kind, name);
        if (uid is not null)
        {
            details["uid"] = uid;
        }

        return new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
            ["details"] = details,
        };
    }

    public static KubeApiException NotFound(ResourceKind kind, string name) =>
        Failure(404, "NotFound", $"{kind.QualifiedResource} \"{name}\" not found", Details(kind, name));

    public static KubeApiException AlreadyExists(ResourceKind kind, string name) =>
        Failure(409, "AlreadyExists", $"{kind.QualifiedResource} \"{name}\" already exists", Details(kind, name));

    public static KubeApiException Conflict(ResourceKind kind, string name, string detail) =>
        Failure(
            409,
            "Conflict",
            $"Operation cannot be fulfilled on {kind.QualifiedResource} \"{name}\": {detail}",
            Details(kind, name));

    public static KubeApiException Invalid(string qualifiedKind, string group, string kind, string name, IReadOnlyList<FieldError> errors)
    {
        var causes = new JsonArray();
        foreach (var error in errors)
        {
            causes.Add(new JsonObject { ["reason"] = error.CauseReason, ["message"] = error.Body, ["field"] = error.Field });
        }

        var details = new JsonObject();
        if (name.Length > 0)
        {
            details["name"] = name;
        }

        if (group.Length > 0)
        {
            details["group"] = group;
        }

        details["kind"] = kind;
        details["causes"] = causes;
        var aggregate = errors.Count == 1 ? errors[0].ToString() : "[" + string.Join(", ", errors) + "]";
        return Failure(422, "Invalid", $"{qualifiedKind} \"{name}\" is invalid: {aggregate}", details);
    }

    public static KubeApiException Invalid(ResourceKind kind, string name, IReadOnlyList<FieldError> errors) =>
        Invalid(kind.QualifiedKind, kind.Group, kind.Kind, name, errors);

    public static KubeApiException InvalidListOptions(IReadOnlyList<FieldError> errors) =>
        Invalid("ListOptions.meta.k8s.io", "meta.k8s.io", "ListOptions", "", errors);

    public static KubeApiException BadRequest(string message) => Failure(400, "BadRequest", message);

    public static KubeApiException Unauthorized() => Failure(401, "Unauthorized", "Unauthorized");

    public static KubeApiException Forbidden(
        ResourceKind kind, string verb, string? ns, string? name, string? subresource, string user, string? reasonOverride = null)
    {
        var resource = subresource is null ? kind.Plural : kind.Plural + "/" + subresource;
        var why = reasonOverride ?? $"User \"{user}\" cannot {verb} resource \"{resource}\" in API group \"{kind.Group}\""
            + (ns is null ? " at the cluster scope" : $" in the namespace \"{ns}\"");
        var message = string.IsNullOrEmpty(name)
            ? $"{kind.QualifiedResource} is forbidden: {why}"
            : $"{kind.QualifiedResource} \"{name}\" is forbidden: {why}";
        return Failure(403, "Forbidden", message, Details(kind, name ?? ""));
    }

    public static KubeApiException MethodNotAllowed() =>
        Failure(405, "MethodNotAllowed", "the server does not allow this method on the requested resource", new JsonObject());

    public static KubeApiException UnknownPath() =>
        Failure(404, "NotFound", "the server could not find the requested resource", new JsonObject());

    public static KubeApiException UnsupportedMediaType(string contentType) =>
        Failure(
            415,
            "UnsupportedMediaType",
            $"the body of the request was in an unknown format - accepted media types include: application/json, application/merge-patch+json (got {contentType})");

    public static KubeApiException Expired(string message, JsonObject? listMeta = null) =>
        Failure(410, "Expired", message, null, listMeta);

    public static KubeApiException TooLargeResourceVersion(long requested, long current) =>
        Failure(
            504,
            "Timeout",
            $"Timeout: Too large resource version: {requested}, current: {current}",
            new JsonObject
            {
                ["causes"] = new JsonArray
                {
                    new JsonObject { ["reason"] = "ResourceVersionTooLarge", ["message"] = "Too large resource version" },
                },
                ["retryAfterSeconds"] = 1,
            });

    private static JsonObject Details(ResourceKind kind, string name)
    {
        var details = new JsonObject();
        if (name.Length > 0)
        {
            details["name"] = name;
        }

        if (kind.Group.Length > 0)
        {
            details["group"] = kind.Group;
        }

        details["kind"] = kind.Plural;
        return details;
    }
}
