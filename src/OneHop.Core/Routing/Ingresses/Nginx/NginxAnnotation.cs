namespace OneHop.Core.Routing.Ingresses.Nginx;

/// <summary>
/// One ingress-nginx annotation: its name without the prefix, how OneHop treats it, the difference or reason in words,
/// and its parser. The parser reads the value into <see cref="NginxSettingsBuilder"/> and returns why the value is
/// bad, or null; an unsupported annotation has none.
/// </summary>
internal sealed record NginxAnnotation(string Name, NginxSupport Support, string Note, Func<string, NginxSettingsBuilder, string?>? Parse = null)
{
    public string FullName => NginxAnnotations.Prefix + Name;
}
