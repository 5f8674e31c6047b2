namespace OneHop.Core.Diagnostics;

internal enum DiagnosticSeverity
{
    /// <summary>Worth knowing; routing is as the operator wrote it.</summary>
    Info,

    /// <summary>Applied, but probably not what was meant (e.g. a backend with no endpoints yet).</summary>
    Warning,

    /// <summary>Something was not applied as written; the last good routing for it is kept where one exists.</summary>
    Error,
}
