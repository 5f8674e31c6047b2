using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace KubeApiTestServer.Objects;

/// <summary>
/// The parts of the real Ingress validation (networking <c>validateHTTPIngressPath</c>, rule hosts and backends)
/// that shape what the load balancer can be given (contract section 6.3).
/// </summary>
internal static partial class IngressValidator
{
    private const string WildcardMessage =
        "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    private const string SubdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    private static readonly string[] PathTypes = ["Exact", "ImplementationSpecific", "Prefix"];
    private static readonly string[] InvalidSequences = ["//", "/./", "/../", "%2f", "%2F"];
    private static readonly string[] InvalidSuffixes = ["/..", "/."];

    public static void Validate(JsonObject ingress, List<FieldError> errors)
    {
        if (ingress["spec"] is not JsonObject spec)
        {
            return;
        }

        if (spec["defaultBackend"] is JsonObject defaultBackend)
        {
            ValidateBackend(defaultBackend, "spec.defaultBackend", errors);
        }

        if (spec["rules"] is not JsonArray rules)
        {
            return;
        }

        for (var i = 0; i < rules.Count; i++)
        {
            var field = $"spec.rules[{i}]";
            if (Text(rules[i]?["host"]) is { Length: > 0 } host)
            {
                ValidateHost(host, field + ".host", errors);
            }

            if (rules[i]?["http"] is not JsonObject http)
            {
                continue;
            }

            if (http["paths"] is not JsonArray { Count: > 0 } paths)
            {
                errors.Add(FieldError.Required(field + ".http.paths"));
                continue;
            }

            for (var j = 0; j < paths.Count; j++)
            {
                ValidatePath(paths[j] as JsonObject ?? [], $"{field}.http.paths[{j}]", errors);
            }
        }
    }

    private static void ValidateHost(string host, string field, List<FieldError> errors)
    {
        if (IPAddress.TryParse(host, out _))
        {
            errors.Add(FieldError.Invalid(field, FieldError.Quote(host), "must be a DNS name, not an IP address"));
        }

        if (host.Contains('*', StringComparison.Ordinal))
        {
            if (!Wildcard().IsMatch(host))
            {
                errors.Add(FieldError.Invalid(field, FieldError.Quote(host), WildcardMessage));
            }
        }
        else if (host.Length > 253 || !Subdomain().IsMatch(host))
        {
            errors.Add(FieldError.Invalid(field, FieldError.Quote(host), SubdomainMessage));
        }
    }

    private static void ValidatePath(JsonObject path, string field, List<FieldError> errors)
    {
        var pathType = Text(path["pathType"]);
        var value = Text(path["path"]) ?? "";
        if (pathType is null)
        {
            errors.Add(FieldError.Required(field + ".pathType", "pathType must be specified"));
            return;
        }

        if (pathType is "Exact" or "Prefix")
        {
            if (!value.StartsWith('/'))
            {
                errors.Add(FieldError.Invalid(field + ".path", FieldError.Quote(value), "must be an absolute path"));
            }

            foreach (var sequence in InvalidSequences.Where(s => value.Contains(s, StringComparison.Ordinal)))
            {
                errors.Add(FieldError.Invalid(field + ".path", FieldError.Quote(value), $"must not contain '{sequence}'"));
            }

            foreach (var suffix in InvalidSuffixes.Where(s => value.EndsWith(s, StringComparison.Ordinal)))
            {
                errors.Add(FieldError.Invalid(field + ".path", FieldError.Quote(value), $"cannot end with '{suffix}'"));
            }
        }
        else if (pathType == "ImplementationSpecific")
        {
            if (value.Length > 0 && !value.StartsWith('/'))
            {
                errors.Add(FieldError.Invalid(field + ".path", FieldError.Quote(value), "must be an absolute path"));
            }
        }
        else
        {
            errors.Add(FieldError.NotSupported(field + ".pathType", pathType, PathTypes));
        }

        ValidateBackend(path["backend"] as JsonObject ?? [], field + ".backend", errors);
    }

    private static void ValidateBackend(JsonObject backend, string field, List<FieldError> errors)
    {
        var service = backend["service"] as JsonObject;
        var resource = backend["resource"] as JsonObject;
        if (service is not null && resource is not null)
        {
            errors.Add(FieldError.Invalid(field, "\"\"", "cannot set both resource and service backends"));
            return;
        }

        if (resource is not null)
        {
            return;
        }

        if (service is null)
        {
            errors.Add(FieldError.Invalid(field, "\"\"", "resource or service backend is required"));
            return;
        }

        if (string.IsNullOrEmpty(Text(service["name"])))
        {
            errors.Add(FieldError.Required(field + ".service.name"));
        }

        var port = service["port"] as JsonObject;
        var hasName = !string.IsNullOrEmpty(Text(port?["name"]));
        var hasNumber = port?["number"] is JsonValue number && number.TryGetValue<int>(out var n) && n != 0;
        if (hasName && hasNumber)
        {
            errors.Add(FieldError.Invalid(field, "\"\"", "cannot set both port name & port number"));
        }
        else if (!hasName && !hasNumber)
        {
            errors.Add(FieldError.Required(field, "port name or number is required"));
        }
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    [GeneratedRegex(@"^\*\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Wildcard();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();
}
