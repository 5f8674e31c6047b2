using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace KubeApiTestServer.Objects;

/// <summary>
/// The real validation of an <c>events.k8s.io/v1</c> Event (core <c>ValidateEventCreate</c>/<c>ValidateEventUpdate</c>
/// with the events.k8s.io request version). Errors name the fields of the internal type, as the real server's do:
/// <c>involvedObject</c> for <c>regarding</c>, <c>message</c> for <c>note</c>.
/// </summary>
internal static partial class EventValidator
{
    private const int ReportingInstanceLimit = 128;
    private const int ActionLimit = 128;
    private const int ReasonLimit = 128;
    private const int NoteLimit = 1024;

    /// <summary>Fields an update through events.k8s.io/v1 may not change (only <c>series</c> and metadata may).</summary>
    private static readonly (string Json, string Field)[] Immutable =
    [
        ("regarding", "involvedObject"), ("reason", "reason"), ("note", "message"), ("deprecatedSource", "source"),
        ("deprecatedFirstTimestamp", "firstTimestamp"), ("deprecatedLastTimestamp", "lastTimestamp"), ("deprecatedCount", "count"),
        ("type", "type"), ("eventTime", "eventTime"), ("action", "action"), ("related", "related"),
        ("reportingController", "reportingController"), ("reportingInstance", "reportingInstance"),
    ];

    public static void Validate(JsonObject body, JsonObject? previous, List<FieldError> errors)
    {
        ValidateCommon(body, errors);
        if (previous is null)
        {
            ValidateCreate(body, errors);
            return;
        }

        if (!JsonNode.DeepEquals(body["series"], previous["series"]))
        {
            ValidateSeries(body, errors);
        }

        foreach (var (json, field) in Immutable.Where(f => !JsonNode.DeepEquals(body[f.Json], previous[f.Json])))
        {
            errors.Add(FieldError.Invalid(field, body[json]?.ToJsonString() ?? "null", "field is immutable"));
        }
    }

    /// <summary><c>legacyValidateEvent</c> for an Event with an eventTime, which every events.k8s.io/v1 Event has.</summary>
    private static void ValidateCommon(JsonObject body, List<FieldError> errors)
    {
        var ns = Text(body["metadata"]?["namespace"]) ?? "";
        if (string.IsNullOrEmpty(Text(body["regarding"]?["namespace"])) && ns is not ("default" or "kube-system"))
        {
            errors.Add(FieldError.Invalid("involvedObject.namespace", "\"\"", "does not match event.namespace"));
        }

        var controller = Text(body["reportingController"]) ?? "";
        if (controller.Length == 0)
        {
            errors.Add(FieldError.Required("reportingController"));
        }
        else if (!QualifiedName().IsMatch(controller))
        {
            errors.Add(FieldError.Invalid("reportingController", FieldError.Quote(controller), "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"));
        }

        Limit(body, "reportingInstance", "reportingInstance", ReportingInstanceLimit, required: true, errors);
        Limit(body, "action", "action", ActionLimit, required: true, errors);
        Limit(body, "reason", "reason", ReasonLimit, required: true, errors);
        Limit(body, "note", "message", NoteLimit, required: false, errors);
    }

    private static void ValidateCreate(JsonObject body, List<FieldError> errors)
    {
        ValidateSeries(body, errors);
        if (string.IsNullOrEmpty(Text(body["eventTime"])))
        {
            errors.Add(FieldError.Required("eventTime"));
        }

        var type = Text(body["type"]) ?? "";
        if (type is not ("Normal" or "Warning"))
        {
            errors.Add(FieldError.Invalid("type", "\"\"", $"has invalid value: {type}"));
        }

        foreach (var (json, field) in (ReadOnlySpan<(string, string)>)[("deprecatedFirstTimestamp", "firstTimestamp"), ("deprecatedLastTimestamp", "lastTimestamp"), ("deprecatedSource", "source")])
        {
            if (body[json] is JsonValue or JsonObject { Count: > 0 })
            {
                errors.Add(FieldError.Invalid(field, "\"\"", "needs to be unset"));
            }
        }

        if (body["deprecatedCount"] is JsonValue count && count.TryGetValue<long>(out var n) && n != 0)
        {
            errors.Add(FieldError.Invalid("count", "\"\"", "needs to be unset"));
        }
    }

    private static void ValidateSeries(JsonObject body, List<FieldError> errors)
    {
        if (body["series"] is not JsonObject series)
        {
            return;
        }

        if (series["count"] is not JsonValue count || !count.TryGetValue<long>(out var n) || n < 2)
        {
            errors.Add(FieldError.Invalid("series.count", "\"\"", "should be at least 2"));
        }

        if (string.IsNullOrEmpty(Text(series["lastObservedTime"])))
        {
            errors.Add(FieldError.Required("series.lastObservedTime"));
        }
    }

    /// <summary>Go's <c>len</c>: bytes, not characters.</summary>
    private static void Limit(JsonObject body, string json, string field, int limit, bool required, List<FieldError> errors)
    {
        var value = Text(body[json]) ?? "";
        if (required && value.Length == 0)
        {
            errors.Add(FieldError.Required(field));
        }

        if (Encoding.UTF8.GetByteCount(value) > limit)
        {
            errors.Add(FieldError.Invalid(field, "\"\"", $"can have at most {limit} characters"));
        }
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    [GeneratedRegex(@"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$")]
    private static partial Regex QualifiedName();
}
