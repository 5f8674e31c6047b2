using System.Globalization;
using System.Text.RegularExpressions;

using OneHop.Core.Routing.Endpoints;

namespace OneHop.Core.Routing.Ingresses.Nginx;

/// <summary>
/// ingress-nginx's <c>opentelemetry-operation-name</c>: the request span's name. The annotation's is one word (its
/// validator's <c>[A-Za-z0-9_-]*</c>); the controller ConfigMap's may hold spaces and nginx variables, the request's
/// (<see cref="RequestTemplate"/> and <c>$request_method</c>) filled in per request, and the variables ingress-nginx sets
/// in each location (<c>$namespace</c>, <c>$ingress_name</c>, <c>$service_name</c>, <c>$service_port</c>) filled in per
/// rule here.
/// </summary>
internal static partial class NginxSpanName
{
    /// <summary>Why <paramref name="value"/> cannot be the annotation's span name, or null.</summary>
    public static string? AnnotationProblem(string value) =>
        Word().IsMatch(value) ? null : $"'{value}' is not a name of letters, digits, '_' and '-' (ingress-nginx's rule for the annotation; the ConfigMap key may hold variables)";

    /// <summary>Why <paramref name="value"/> cannot be the ConfigMap's span name, or null.</summary>
    public static string? ConfigMapProblem(string value)
    {
        if (value.Length == 0 || Unsafe().IsMatch(value))
        {
            return $"'{value}' is empty or has quotes, control characters or nginx syntax";
        }

        RequestTemplate.Parse(ForRule(value, "ns", "ingress", "service", "80"), out var problem);
        return problem is null ? null : problem + ", and $namespace, $ingress_name, $service_name, $service_port";
    }

    /// <summary><paramref name="value"/> with the location's variables of the rule's Ingress and Service filled in.</summary>
    public static string ForRule(string value, string ingressNamespace, string ingressName, BackendRef backend) =>
        ForRule(value, ingressNamespace, ingressName, backend.Service, backend.PortName ?? backend.PortNumber?.ToString(CultureInfo.InvariantCulture) ?? string.Empty);

    private static string ForRule(string value, string ingressNamespace, string ingressName, string service, string port) =>
        RequestTemplate.Variable().Replace(value, m => (m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value) switch
        {
            "namespace" => ingressNamespace,
            "ingress_name" => ingressName,
            "service_name" => service,
            "service_port" => port,
            _ => m.Value,
        });

    [GeneratedRegex(@"^[A-Za-z0-9_\-]*\z")]
    private static partial Regex Word();

    [GeneratedRegex(@"[\p{C}""'`;\\]")]
    private static partial Regex Unsafe();
}
