using Microsoft.AspNetCore.Http;

namespace OneHop.Core.Health;

/// <summary>
/// Label values for HTTP metrics, each from a fixed set made once: a method outside the known ones is <c>_OTHER</c> (as
/// ASP.NET Core and the OpenTelemetry conventions do, so a client cannot invent series), status codes are boxed once.
/// </summary>
internal static class HttpLabels
{
    private const int FirstStatus = 100;
    private const int LastStatus = 599;
    private static readonly object[] StatusBoxes = [.. Enumerable.Range(FirstStatus, LastStatus - FirstStatus + 1).Select(code => (object)code)];
    private static readonly string[] StatusTexts = [.. Enumerable.Range(FirstStatus, LastStatus - FirstStatus + 1).Select(code => code.ToString(System.Globalization.CultureInfo.InvariantCulture))];
    private static readonly string[] OutcomeErrors = [.. Enum.GetNames<AttemptOutcome>().Select(SnakeCase)];

    /// <summary>The method as a label: one of the standard methods, else <c>_OTHER</c>.</summary>
    public static string Method(string method) => HttpMethods.GetCanonicalizedValue(method) switch
    {
        var known when ReferenceEquals(known, HttpMethods.Get) || ReferenceEquals(known, HttpMethods.Post) || ReferenceEquals(known, HttpMethods.Put)
            || ReferenceEquals(known, HttpMethods.Delete) || ReferenceEquals(known, HttpMethods.Head) || ReferenceEquals(known, HttpMethods.Options)
            || ReferenceEquals(known, HttpMethods.Patch) || ReferenceEquals(known, HttpMethods.Trace) || ReferenceEquals(known, HttpMethods.Connect)
            || ReferenceEquals(known, HttpMethods.Query) => known,
        _ => "_OTHER",
    };

    /// <summary>The status code, boxed once per code.</summary>
    public static object Status(int status) => status is >= FirstStatus and <= LastStatus ? StatusBoxes[status - FirstStatus] : status;

    /// <summary>
    /// <c>error.type</c> of an attempt: the outcome (<c>connect_refused</c>, <c>timeout</c>, ...) when the pod did not
    /// answer, the status code when it answered 5xx, null for an answer below 500.
    /// </summary>
    public static string? Error(AttemptOutcome outcome, int status) => outcome switch
    {
        AttemptOutcome.Success => null,
        AttemptOutcome.PodError when status is >= 500 and <= LastStatus => StatusTexts[status - FirstStatus],
        _ => OutcomeErrors[(int)outcome],
    };

    private static string SnakeCase(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) ? (i == 0 ? string.Empty : "_") + char.ToLowerInvariant(c) : c.ToString()));
}
