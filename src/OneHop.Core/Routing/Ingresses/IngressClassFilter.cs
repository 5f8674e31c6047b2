using k8s.Models;
using OneHop.Core.Configuration;
using OneHop.Core.Diagnostics;
using OneHop.Core.State;

namespace OneHop.Core.Routing.Ingresses;

/// <summary>
/// Decides which Ingresses are OneHop's: those whose IngressClass names our controller, those using the deprecated
/// annotation with our class name, and class-less ones when our class is the default or when asked to. Adopted
/// ingress-nginx classes (<see cref="IngressSettings.AdoptIngressNginx"/>, or one named by <c>--ingress-class</c>) count as
/// ours for serving; <see cref="IsAdopted"/> tells them apart, since their status is not ours to write unless told so.
/// </summary>
internal sealed class IngressClassFilter
{
    private readonly IngressSettings _settings;
    private readonly HashSet<string> _ourClasses = new(StringComparer.Ordinal);
    private readonly HashSet<string> _otherClasses = new(StringComparer.Ordinal);
    private readonly HashSet<string> _adoptedClasses = new(StringComparer.Ordinal);
    private readonly HashSet<string> _nginxClasses = new(StringComparer.Ordinal);
    private readonly bool _oursIsDefault;
    private readonly bool _adoptedIsDefault;

    public IngressClassFilter(ClusterState state, IngressSettings settings, List<Diagnostic> diagnostics)
    {
        _settings = settings;
        var defaults = new List<V1IngressClass>();
        foreach (var (_, ingressClass) in state.IngressClasses.OrderBy(p => p.Key))
        {
            var name = ingressClass.Metadata.Name;
            var named = !settings.OnlyThisClass || name == settings.ClassName;
            var ours = ingressClass.Spec?.Controller == IngressSettings.ControllerName && named;
            var adopted = ingressClass.Spec?.Controller == IngressSettings.NginxControllerName
                && (settings.OnlyThisClass ? name == settings.ClassName : settings.AdoptIngressNginx);
            (ours ? _ourClasses : adopted ? _adoptedClasses : _otherClasses).Add(name);
            if (ingressClass.Spec?.Controller == IngressSettings.NginxControllerName)
            {
                _nginxClasses.Add(name);
            }

            if (ingressClass.Metadata.Annotations?.TryGetValue(Annotations.IsDefaultClass, out var isDefault) == true
                && string.Equals(isDefault, "true", StringComparison.OrdinalIgnoreCase))
            {
                defaults.Add(ingressClass);
                _oursIsDefault |= ours;
                _adoptedIsDefault |= adopted;
            }
        }

        if (defaults.Count > 1)
        {
            var reference = new ObjectRef(KubeKinds.IngressClass, string.Empty, defaults[1].Metadata.Name);
            diagnostics.Add(Diagnostic.Warning(
                DiagnosticCodes.DefaultClassConflict,
                $"more than one IngressClass is marked default ({string.Join(", ", defaults.Select(c => c.Metadata.Name))}); Kubernetes rejects new Ingresses without a class in that case",
                reference,
                state.OriginOf(reference),
                $"metadata.annotations[{Annotations.IsDefaultClass}]"));
        }
    }

    /// <summary>True when the Ingress is served through an adopted ingress-nginx class rather than one of OneHop's own.</summary>
    public bool IsAdopted(V1Ingress ingress)
    {
        if (ingress.Metadata.Annotations?.TryGetValue(Annotations.IngressClass, out var annotated) == true)
        {
            return !_ourClasses.Contains(annotated) && IsAdoptedName(annotated);
        }

        return ingress.Spec?.IngressClassName is { } className
            ? _adoptedClasses.Contains(className)
            : !_oursIsDefault && !_settings.WatchWithoutClass && _adoptedIsDefault;
    }

    /// <summary>Null when the Ingress is ours; otherwise why it is ignored.</summary>
    public string? WhyIgnored(V1Ingress ingress)
    {
        if (ingress.Metadata.Annotations?.TryGetValue(Annotations.IngressClass, out var annotated) == true)
        {
            return annotated == _settings.ClassName || _ourClasses.Contains(annotated) || IsAdoptedName(annotated)
                ? null
                : $"annotation {Annotations.IngressClass}={annotated} is not OneHop's class ({_settings.ClassName})";
        }

        if (ingress.Spec?.IngressClassName is { } className)
        {
            if (_ourClasses.Contains(className) || _adoptedClasses.Contains(className))
            {
                return null;
            }

            return _otherClasses.Contains(className)
                ? $"IngressClass {className} belongs to another controller{(_nginxClasses.Contains(className) ? $" ({IngressSettings.NginxControllerName}: run with --adopt-ingress-nginx, or --ingress-class {className}, to serve it too)" : string.Empty)}"
                : $"IngressClass {className} does not exist (OneHop serves classes with spec.controller: {IngressSettings.ControllerName})";
        }

        if (_oursIsDefault || _settings.WatchWithoutClass || _adoptedIsDefault)
        {
            return null;
        }

        return "it names no IngressClass, and no IngressClass of OneHop is the default (or run with --watch-ingress-without-class)";
    }

    /// <summary>
    /// The deprecated annotation names an adopted class, or, when adopting, ingress-nginx's own default name
    /// <c>nginx</c> (which Ingresses written before IngressClasses existed still carry).
    /// </summary>
    private bool IsAdoptedName(string annotated) =>
        _adoptedClasses.Contains(annotated) || (_settings.AdoptIngressNginx && !_settings.OnlyThisClass && annotated == "nginx");
}
