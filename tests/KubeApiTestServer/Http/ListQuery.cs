using System.Globalization;
using KubeApiTestServer.Objects;
using Microsoft.AspNetCore.Http;

namespace KubeApiTestServer.Http;

/// <summary>The ListOptions query parameters of contract section 3.2, parsed as the real server converts them.</summary>
internal sealed record ListQuery
{
    public bool Watch { get; init; }

    public bool AllowWatchBookmarks { get; init; }

    public string? ResourceVersion { get; init; }

    public string? ResourceVersionMatch { get; init; }

    public long? TimeoutSeconds { get; init; }

    public long? Limit { get; init; }

    public string? Continue { get; init; }

    public bool? SendInitialEvents { get; init; }

    public string? LabelSelector { get; init; }

    public string? FieldSelector { get; init; }

    public static ListQuery Parse(IQueryCollection query, bool forceWatch) => new()
    {
        Watch = forceWatch || ParseBool(query, "watch") == true,
        AllowWatchBookmarks = ParseBool(query, "allowWatchBookmarks") == true,
        ResourceVersion = First(query, "resourceVersion"),
        ResourceVersionMatch = First(query, "resourceVersionMatch") is { Length: > 0 } match ? match : null,
        TimeoutSeconds = ParseLong(query, "timeoutSeconds"),
        Limit = ParseLong(query, "limit"),
        Continue = First(query, "continue") is { Length: > 0 } token ? token : null,
        SendInitialEvents = ParseBool(query, "sendInitialEvents"),
        LabelSelector = First(query, "labelSelector"),
        FieldSelector = First(query, "fieldSelector"),
    };

    /// <summary>The ListOptions validation of apimachinery (422 Invalid, kind ListOptions).</summary>
    public IReadOnlyList<FieldError> Validate(bool watchListEnabled)
    {
        var errors = new List<FieldError>();
        var match = ResourceVersionMatch;
        if (Watch)
        {
            if (SendInitialEvents is not null)
            {
                if (match != "NotOlderThan")
                {
                    errors.Add(FieldError.Forbidden("resourceVersionMatch", "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"));
                }

                if (!watchListEnabled)
                {
                    errors.Add(FieldError.Forbidden("sendInitialEvents", "sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled"));
                }
            }

            if (match is not null)
            {
                if (SendInitialEvents is null)
                {
                    errors.Add(FieldError.Forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"));
                }

                if (match != "NotOlderThan")
                {
                    errors.Add(FieldError.NotSupported("resourceVersionMatch", match, "NotOlderThan"));
                }

                if (Continue is not null)
                {
                    errors.Add(FieldError.Forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden when continue is provided"));
                }
            }

            return errors;
        }

        if (match is not null)
        {
            if (string.IsNullOrEmpty(ResourceVersion))
            {
                errors.Add(FieldError.Forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden unless resourceVersion is provided"));
            }

            if (Continue is not null)
            {
                errors.Add(FieldError.Forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden when continue is provided"));
            }

            if (match is not ("Exact" or "NotOlderThan"))
            {
                errors.Add(FieldError.NotSupported("resourceVersionMatch", match, "Exact", "NotOlderThan", ""));
            }

            if (match == "Exact" && ResourceVersion == "0")
            {
                errors.Add(FieldError.Forbidden("resourceVersionMatch", "resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\""));
            }
        }

        if (SendInitialEvents is not null)
        {
            errors.Add(FieldError.Forbidden("sendInitialEvents", "sendInitialEvents is forbidden for list"));
        }

        return errors;
    }

    /// <summary>Parses a non-empty RV other than "0"; 400 when it is not an unsigned integer.</summary>
    public static long ParseResourceVersion(string value)
    {
        if (!ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed > long.MaxValue)
        {
            throw Statuses.BadRequest(
                $"invalid resource version: resourceVersion: Invalid value: \"{value}\": strconv.ParseUint: parsing \"{value}\": invalid syntax");
        }

        return (long)parsed;
    }

    /// <summary>Go's <c>Convert_Slice_string_To_bool</c>: missing, "false" or "0" is false; anything else, even empty, is true.</summary>
    private static bool? ParseBool(IQueryCollection query, string name)
    {
        if (!query.TryGetValue(name, out var values) || values.Count == 0)
        {
            return null;
        }

        var value = values[0] ?? "";
        return !(value == "0" || string.Equals(value, "false", StringComparison.OrdinalIgnoreCase));
    }

    private static long? ParseLong(IQueryCollection query, string name)
    {
        var text = First(query, name);
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Statuses.BadRequest($"{name}: Invalid value: \"{text}\": strconv.ParseInt: parsing \"{text}\": invalid syntax");
    }

    private static string? First(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;
}
