using OneHop.Core.State;

namespace OneHop.Core.Diagnostics;

/// <summary>
/// One finding about the input: what is wrong (code, message), about which object and field, and where it came
/// from (file and document). Shown in the log, the admin API, metrics and <c>onehop validate</c>.
/// </summary>
internal sealed record Diagnostic(
    DiagnosticSeverity Severity,
    string Code,
    string Message,
    ObjectRef? Object = null,
    ObjectOrigin? Origin = null,
    string? Field = null)
{
    public static Diagnostic Error(string code, string message, ObjectRef? obj = null, ObjectOrigin? origin = null, string? field = null) =>
        new(DiagnosticSeverity.Error, code, message, obj, origin, field);

    public static Diagnostic Warning(string code, string message, ObjectRef? obj = null, ObjectOrigin? origin = null, string? field = null) =>
        new(DiagnosticSeverity.Warning, code, message, obj, origin, field);

    public static Diagnostic Info(string code, string message, ObjectRef? obj = null, ObjectOrigin? origin = null, string? field = null) =>
        new(DiagnosticSeverity.Info, code, message, obj, origin, field);

    /// <summary>One line for logs and the CLI: <c>error web.yaml#1 (line 3) Ingress default/web spec.rules[0]: message [Code]</c>.</summary>
    public override string ToString()
    {
        var parts = new List<string>(5) { Severity.ToString().ToLowerInvariant() };
        if (Origin is not null)
        {
            parts.Add(Origin.ToString());
        }

        if (Object is not null)
        {
            parts.Add(Object.ToString());
        }

        if (Field is not null)
        {
            parts.Add(Field);
        }

        return $"{string.Join(' ', parts)}: {Message} [{Code}]";
    }
}
