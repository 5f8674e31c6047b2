using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using KubeApiTestServer.Resources;

namespace KubeApiTestServer.Objects;

/// <summary>Per-kind defaulting and validation the real registry strategies perform on writes.</summary>
internal static class ObjectDefaults
{
    private const string MicroTimeFormat = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'ffffff'Z'";

    /// <summary>Normalises the body before it is stored. Throws 400 for values the real decoder rejects.</summary>
    public static void Apply(ResourceKind kind, JsonObject body)
    {
        if (ReferenceEquals(kind, ResourceKinds.Secret))
        {
            ApplySecret(body);
        }
        else if (ReferenceEquals(kind, ResourceKinds.Lease))
        {
            NormalizeMicroTimes(body["spec"] as JsonObject, ["acquireTime", "renewTime"], "Lease");
        }
        else if (ReferenceEquals(kind, ResourceKinds.Event))
        {
            NormalizeMicroTimes(body, ["eventTime"], "Event");
            NormalizeMicroTimes(body["series"] as JsonObject, ["lastObservedTime"], "Event");
        }
    }

    /// <summary>Collects the kind-specific validation errors (422).</summary>
    public static void Validate(ResourceKind kind, JsonObject body, JsonObject? previous, List<FieldError> errors)
    {
        if (ReferenceEquals(kind, ResourceKinds.EndpointSlice))
        {
            EndpointSliceValidator.Validate(body, previous, errors);
        }
        else if (ReferenceEquals(kind, ResourceKinds.Ingress))
        {
            IngressValidator.Validate(body, errors);
        }
        else if (ReferenceEquals(kind, ResourceKinds.Event))
        {
            EventValidator.Validate(body, previous, errors);
        }
        else if (ReferenceEquals(kind, ResourceKinds.Secret))
        {
            ValidateSecretSize(body, errors);
        }
        else if (ReferenceEquals(kind, ResourceKinds.IngressClass) && previous is not null)
        {
            var controller = (string?)(body["spec"]?["controller"] as JsonValue);
            var old = (string?)(previous["spec"]?["controller"] as JsonValue);
            if (old != controller)
            {
                errors.Add(FieldError.Invalid("spec.controller", FieldError.Quote(controller ?? ""), "field is immutable"));
            }
        }
    }

    /// <summary>A Secret's data may hold at most 1 MiB (decoded).</summary>
    private static void ValidateSecretSize(JsonObject secret, List<FieldError> errors)
    {
        const int MaxSecretSize = 1024 * 1024;
        long total = 0;
        foreach (var (key, value) in secret["data"] as JsonObject ?? [])
        {
            var encoded = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
            total += key.Length + (encoded.Length * 3 / 4);
        }

        if (total > MaxSecretSize)
        {
            errors.Add(new FieldError("data", "FieldValueTooLong", $"Too long: must have at most {MaxSecretSize} bytes"));
        }
    }

    /// <summary><c>stringData</c> is write-only: merged into <c>data</c> as base64 and never returned. Type defaults to Opaque.</summary>
    private static void ApplySecret(JsonObject body)
    {
        if (body["stringData"] is JsonObject stringData)
        {
            if (body["data"] is not JsonObject data)
            {
                data = [];
                body["data"] = data;
            }

            foreach (var (key, value) in stringData)
            {
                var text = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value?.ToJsonString() ?? "";
                data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
            }
        }

        body.Remove("stringData");
        if (body["type"] is null)
        {
            body["type"] = "Opaque";
        }
    }

    /// <summary>MicroTime fields (Lease times, Event times): accept any RFC 3339 fraction on input, store exactly six digits.</summary>
    private static void NormalizeMicroTimes(JsonObject? owner, string[] fields, string kindName)
    {
        if (owner is null)
        {
            return;
        }

        foreach (var field in fields)
        {
            if (owner[field] is not JsonValue value || !value.TryGetValue<string>(out var text))
            {
                continue;
            }

            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
            {
                throw Statuses.BadRequest(
                    $"{kindName} in version \"v1\" cannot be handled as a {kindName}: parsing time \"{text}\" as \"2006-01-02T15:04:05.000000Z07:00\": cannot parse \"{text}\" as MicroTime");
            }

            owner[field] = time.UtcDateTime.ToString(MicroTimeFormat, CultureInfo.InvariantCulture);
        }
    }
}
