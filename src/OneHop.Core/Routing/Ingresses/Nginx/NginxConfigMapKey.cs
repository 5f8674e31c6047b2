namespace OneHop.Core.Routing.Ingresses.Nginx;

/// <summary>
/// One key of ingress-nginx's controller ConfigMap: how OneHop treats it, the difference or reason in words, and its
/// parser into the defaults every Ingress starts from (null for a key that is not applied).
/// </summary>
internal sealed record NginxConfigMapKey(string Name, NginxSupport Support, string Note, Func<string, NginxSettingsBuilder, string?>? Parse = null);
