using System.Collections.Immutable;
using k8s.Models;
using OneHop.Core.Configuration;
using OneHop.Core.Configuration.Policies;
using OneHop.Core.Diagnostics;
using OneHop.Core.Routing.Endpoints;
using OneHop.Core.Routing.Ingresses.Nginx;
using OneHop.Core.State;

namespace OneHop.Core.Routing.Ingresses;

/// <summary>
/// Validates one Ingress the way the API server would and reduces it to rules. Invalid parts are reported with
/// their field and left out; the caller decides whether the last good version replaces the whole Ingress.
/// </summary>
internal static class IngressCompiler
{
    /// <param name="controller">ingress-nginx's controller ConfigMap: the defaults under the Ingress's own annotations.</param>
    public static CompiledIngress Compile(V1Ingress ingress, ObjectOrigin origin, List<Diagnostic> errors, NginxControllerConfig? controller = null)
    {
        var reference = new ObjectRef(KubeKinds.Ingress, ingress.Metadata.NamespaceProperty ?? string.Empty, ingress.Metadata.Name);
        var context = new Context(reference, origin, errors);
        var rules = ImmutableArray.CreateBuilder<IngressRule>();
        BackendRef? defaultBackend = null;
        var spec = ingress.Spec;
        if (spec is null)
        {
            context.Error(DiagnosticCodes.InvalidObject, "spec", "an Ingress needs a spec");
        }
        else
        {
            if (spec.DefaultBackend is { } d)
            {
                defaultBackend = Backend(d, "spec.defaultBackend", context);
            }

            var ruleList = spec.Rules ?? [];
            for (var i = 0; i < ruleList.Count; i++)
            {
                if (ruleList[i] is { } rule)
                {
                    AddRule(rule, $"spec.rules[{i}]", context, rules);
                }
                else
                {
                    context.Error(DiagnosticCodes.InvalidObject, $"spec.rules[{i}]", "a rule must be an object, not null");
                }
            }
        }

        // Policy annotations apply to this Ingress's backends (a Service's own annotations win). Bad values are
        // warnings: the Ingress still routes, with the setting left at its default.
        var warn = (string field, string message) => context.Warning(DiagnosticCodes.InvalidAnnotation, field, message);
        var nginx = ReadNginx(ingress.Metadata.Annotations, controller, rules, context);

        // ingress-nginx's policy first: an onehop.dev annotation on the same Ingress says what OneHop should do, and wins.
        var settings = nginx.Policy.AddRange(BackendPolicyReader.FromAnnotations(ingress.Metadata.Annotations, KubeKinds.Ingress, warn));
        BackendPolicyReader.Apply(BackendPolicy.Default, settings, warn);
        TimeSpan? timeout = null;
        if (ingress.Metadata.Annotations?.TryGetValue(Annotations.Timeout, out var timeoutText) == true)
        {
            if (Durations.TryParse(timeoutText, out var parsed) && parsed > TimeSpan.Zero)
            {
                timeout = parsed;
            }
            else
            {
                warn($"metadata.annotations[{Annotations.Timeout}]", $"{Durations.Invalid(timeoutText, positive: true)}; no timeout is set");
            }
        }

        var compiledRules = rules.ToImmutable();
        return new CompiledIngress(
            reference,
            ingress.Metadata.Uid,
            ingress.Metadata.ResourceVersion,
            ingress.Metadata.CreationTimestamp,
            origin,
            compiledRules,
            defaultBackend,
            settings,
            timeout)
        {
            Tls = CompileTls(spec?.Tls, compiledRules, context),
            TlsSettings = WithNginx(CompileTlsAnnotations(ingress.Metadata.Annotations, warn, (field, message) => context.Error(DiagnosticCodes.InvalidAnnotation, field, message)), ingress.Metadata.Annotations, nginx, warn),
            SslPassthrough = SslPassthrough(ingress.Metadata.Annotations, warn),
            Compression = ingress.Metadata.Annotations is { } all ? Flag(all, Annotations.Compression, warn) : null,
            // Each Ingress's limits count on their own, as ingress-nginx's zones are the Ingress's.
            Nginx = nginx.RateLimit is { } limit ? nginx with { RateLimit = limit with { Zone = reference.Key.ToString() } } : nginx,
        };
    }

    /// <summary>
    /// The ingress-nginx annotations: a bad value is an error (the Ingress keeps its last good version, as a bad path
    /// would); an unsupported or unknown one is a warning naming why, so that none is dropped silently.
    /// </summary>
    private static NginxSettings ReadNginx(IDictionary<string, string>? annotations, NginxControllerConfig? controller, ImmutableArray<IngressRule>.Builder rules, Context context)
    {
        var (nginx, findings) = NginxAnnotationReader.Read(annotations, controller);
        foreach (var finding in findings)
        {
            if (finding.Problem is { } problem)
            {
                context.Error(DiagnosticCodes.InvalidAnnotation, finding.Field, $"{problem}; the Ingress keeps its last good version");
            }
            else if (finding.Entry is null)
            {
                context.Warning(DiagnosticCodes.UnknownAnnotation, finding.Field, "not an ingress-nginx annotation OneHop knows; it has no effect (see docs/ingress-nginx.md)");
            }
            else if (finding.Entry.Support == NginxSupport.Unsupported)
            {
                context.Warning(DiagnosticCodes.UnsupportedAnnotation, finding.Field, $"not supported, so not applied: {finding.Entry.Note}");
            }
        }

        if (nginx.ProxySsl is { } ssl)
        {
            const string Field = $"metadata.annotations[{NginxAnnotations.Prefix}proxy-ssl-secret]";
            if (!ssl.Secret.StartsWith(context.Reference.Namespace + "/", StringComparison.Ordinal))
            {
                // As ingress-nginx without allow-cross-namespace-resources.
                context.Error(DiagnosticCodes.InvalidAnnotation, Field, $"Secret {ssl.Secret} is in another namespace than the Ingress; ingress-nginx refuses that too; the Ingress keeps its last good version");
                nginx = nginx with { ProxySsl = null };
            }
            else if (nginx.BackendProtocol is not (BackendProtocol.Https or BackendProtocol.H2))
            {
                context.Warning(DiagnosticCodes.InvalidAnnotation, Field, "proxy-ssl-* apply only with backend-protocol HTTPS or GRPCS, as in ingress-nginx; not applied");
                nginx = nginx with { ProxySsl = null };
            }
        }

        if (nginx.ResponseRate is null && findings.Any(f => f.Key == NginxAnnotations.Prefix + "limit-rate" && f.Problem is null && f.Value != "0"))
        {
            // Valid, and silently nothing in ingress-nginx too: the operator should know why nothing is paced.
            context.Warning(DiagnosticCodes.InvalidAnnotation, $"metadata.annotations[{NginxAnnotations.Prefix}limit-rate]", "limit-rate paces answers only with proxy-buffering: \"on\" (on the Ingress or in the controller ConfigMap), as in ingress-nginx, where nginx does not pace what it does not buffer; not applied");
        }

        if (nginx.ClientAuth is { } clientAuth && !clientAuth.Secret.StartsWith(context.Reference.Namespace + "/", StringComparison.Ordinal))
        {
            // As ingress-nginx without allow-cross-namespace-resources (its default): one tenant never names another's CA.
            context.Error(DiagnosticCodes.InvalidAnnotation, $"metadata.annotations[{NginxAnnotations.Prefix}auth-tls-secret]", $"Secret {clientAuth.Secret} is in another namespace than the Ingress; ingress-nginx refuses that too; the Ingress keeps its last good version");
            nginx = nginx with { ClientAuth = null };
        }

        if (nginx.UseRegex)
        {
            // Paths are regular expressions now: one that cannot be compiled is refused like any bad path.
            for (var i = rules.Count - 1; i >= 0; i--)
            {
                if (rules[i].PathType == Configuration.PathMatchType.Prefix && NginxRoutes.RegexProblem(rules[i].Path) is { } problem)
                {
                    context.Error(DiagnosticCodes.InvalidPath, $"{rules[i].Field}.path", $"{problem} (nginx.ingress.kubernetes.io/use-regex or rewrite-target makes it a regular expression)");
                    rules.RemoveAt(i);
                }
            }
        }

        return nginx;
    }

    /// <summary>
    /// ingress-nginx's ssl-redirect, force-ssl-redirect and client certificates (auth-tls-*), where the onehop.dev
    /// annotations do not say otherwise.
    /// </summary>
    private static TlsAnnotations WithNginx(TlsAnnotations tls, IDictionary<string, string>? annotations, NginxSettings nginx, Action<string, string> warn)
    {
        if (nginx.Hsts is { } hsts && annotations?.ContainsKey(TlsAnnotations.HstsKey) != true)
        {
            tls = tls with { Hsts = hsts };
        }

        var redirect = annotations?.ContainsKey(TlsAnnotations.SslRedirectKey) == true ? tls.SslRedirect : nginx.SslRedirect ?? tls.SslRedirect;
        var force = annotations?.ContainsKey(TlsAnnotations.ForceSslRedirectKey) == true ? tls.ForceSslRedirect : nginx.ForceSslRedirect ?? tls.ForceSslRedirect;
        if (redirect != tls.SslRedirect || force != tls.ForceSslRedirect)
        {
            tls = tls with { SslRedirect = redirect, ForceSslRedirect = force };
        }

        if (nginx.ClientAuth is not { } clientAuth)
        {
            return tls;
        }

        const string Field = $"metadata.annotations[{NginxAnnotations.Prefix}auth-tls-secret]";
        if (tls.ClientCaSecret is { } own)
        {
            warn(Field, $"the Ingress also has {TlsAnnotations.ClientCaSecretKey} ({own}), which wins: auth-tls-secret, auth-tls-verify-client, auth-tls-verify-depth, auth-tls-error-page and auth-tls-match-cn are not applied");
            return tls;
        }

        return tls with
        {
            ClientCaSecret = clientAuth.Verify ? clientAuth.SecretName : null,
            ClientCaField = clientAuth.Verify ? Field : tls.ClientCaField,
            ClientSubjectPattern = clientAuth.MatchSubject,
            ClientVerifyDepth = clientAuth.VerifyDepth,
            ClientVerify = clientAuth.Optional ?? "on",
            ClientErrorPage = clientAuth.ErrorPage,
        };
    }

    /// <summary>Either annotation set to "true" (ingress-nginx compares it so too); anything but true or false is reported.</summary>
    private static bool SslPassthrough(IDictionary<string, string>? annotations, Action<string, string> warn)
    {
        var on = false;
        foreach (var key in (ReadOnlySpan<string>)[Annotations.SslPassthrough, Annotations.NginxSslPassthrough])
        {
            if (annotations?.TryGetValue(key, out var value) != true)
            {
                continue;
            }

            if (bool.TryParse(value?.Trim(), out var parsed))
            {
                on |= parsed;
            }
            else
            {
                warn($"metadata.annotations[{key}]", $"'{value}' is not true or false; TLS is terminated");
            }
        }

        return on;
    }

    private static ImmutableArray<IngressTls> CompileTls(IList<V1IngressTLS>? entries, ImmutableArray<IngressRule> rules, Context context)
    {
        var result = ImmutableArray.CreateBuilder<IngressTls>();
        for (var i = 0; i < (entries?.Count ?? 0); i++)
        {
            var field = $"spec.tls[{i}]";
            if (entries![i] is not { } entry)
            {
                context.Error(DiagnosticCodes.InvalidObject, field, "a tls entry must be an object, not null");
                continue;
            }

            var hosts = ImmutableArray.CreateBuilder<string>();
            var listed = entry.Hosts ?? [];
            for (var h = 0; h < listed.Count; h++)
            {
                var host = listed[h];
                if (HostRules.Validate(host) is { } error)
                {
                    context.Error(DiagnosticCodes.InvalidHost, $"{field}.hosts[{h}]", $"'{host}': {error}");
                    continue;
                }

                hosts.Add(host!);
            }

            if ((entry.Hosts ?? []).Count == 0)
            {
                // No hosts listed: the entry covers the Ingress's own rule hosts.
                hosts.AddRange(rules.Select(r => r.Host).Where(h => h.Length > 0).Distinct(StringComparer.Ordinal));
            }

            result.Add(new IngressTls(hosts.ToImmutable(), string.IsNullOrEmpty(entry.SecretName) ? null : entry.SecretName, field));
        }

        return result.ToImmutable();
    }

    /// <summary>
    /// A bad redirect port is an error, not a warning: left at its default it would send every plain-HTTP client to
    /// a port that may not be served, so the Ingress's last good version stays instead.
    /// </summary>
    private static TlsAnnotations CompileTlsAnnotations(IDictionary<string, string>? annotations, Action<string, string> warn, Action<string, string> error)
    {
        if (annotations is null)
        {
            return TlsAnnotations.None;
        }

        var redirect = Flag(annotations, TlsAnnotations.SslRedirectKey, warn);
        var force = Flag(annotations, TlsAnnotations.ForceSslRedirectKey, warn);
        int? redirectPort = null;
        if (annotations.TryGetValue(TlsAnnotations.SslRedirectPortKey, out var portText))
        {
            if (int.TryParse(portText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535)
            {
                redirectPort = port;
            }
            else
            {
                error($"metadata.annotations[{TlsAnnotations.SslRedirectPortKey}]", $"'{portText}' is not a port from 1 to 65535 (the port clients reach HTTPS at)");
            }
        }

        string? hsts = null;
        if (annotations.TryGetValue(TlsAnnotations.HstsKey, out var hstsText))
        {
            if (hstsText?.StartsWith("max-age=", StringComparison.Ordinal) == true)
            {
                hsts = hstsText;
            }
            else
            {
                warn($"metadata.annotations[{TlsAnnotations.HstsKey}]", $"'{hstsText}' is not a Strict-Transport-Security value such as max-age=31536000; includeSubDomains");
            }
        }

        annotations.TryGetValue(TlsAnnotations.ClientCaSecretKey, out var clientCa);
        return new TlsAnnotations(redirect, hsts, string.IsNullOrEmpty(clientCa) ? null : clientCa) { RedirectPort = redirectPort, ForceSslRedirect = force == true };
    }

    private static bool? Flag(IDictionary<string, string> annotations, string key, Action<string, string> warn)
    {
        if (!annotations.TryGetValue(key, out var text))
        {
            return null;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        warn($"metadata.annotations[{key}]", $"'{text}' is not true or false");
        return null;
    }

    private static void AddRule(V1IngressRule rule, string field, Context context, ImmutableArray<IngressRule>.Builder rules)
    {
        var host = rule.Host ?? string.Empty;
        if (host.Length > 0 && HostRules.Validate(host) is { } hostError)
        {
            context.Error(DiagnosticCodes.InvalidHost, $"{field}.host", $"'{host}': {hostError}");
            return;
        }

        var paths = rule.Http?.Paths ?? [];
        for (var j = 0; j < paths.Count; j++)
        {
            var pathField = $"{field}.http.paths[{j}]";
            if (paths[j] is not { } path)
            {
                context.Error(DiagnosticCodes.InvalidPath, pathField, "a path must be an object, not null");
                continue;
            }

            PathMatchType? type = path.PathType switch
            {
                "Exact" => PathMatchType.Exact,
                "Prefix" or "ImplementationSpecific" => PathMatchType.Prefix,
                null or "" => context.Error<PathMatchType?>(DiagnosticCodes.InvalidPathType, $"{pathField}.pathType", "pathType is required (Exact, Prefix or ImplementationSpecific)"),
                var other => context.Error<PathMatchType?>(DiagnosticCodes.InvalidPathType, $"{pathField}.pathType", $"'{other}' is not Exact, Prefix or ImplementationSpecific"),
            };

            var value = path.Path;
            if (string.IsNullOrEmpty(value))
            {
                // The spec leaves an empty ImplementationSpecific path to us: it means "/".
                value = path.PathType == "ImplementationSpecific" ? "/" : null;
                if (value is null && type is not null)
                {
                    context.Error(DiagnosticCodes.InvalidPath, $"{pathField}.path", "a path is required for Exact and Prefix");
                }
            }
            else if (PathRules.Validate(value) is { } pathError)
            {
                context.Error(DiagnosticCodes.InvalidPath, $"{pathField}.path", $"'{value}' {pathError}");
                value = null;
            }

            var backend = path.Backend is null
                ? context.Error<BackendRef?>(DiagnosticCodes.InvalidBackend, $"{pathField}.backend", "a backend is required")
                : Backend(path.Backend, $"{pathField}.backend", context);
            if (type is { } t && value is not null && backend is not null)
            {
                rules.Add(new IngressRule(host, value, t, backend, pathField));
            }
        }
    }

    private static BackendRef? Backend(V1IngressBackend backend, string field, Context context)
    {
        if (backend.Resource is not null)
        {
            return context.Error<BackendRef?>(DiagnosticCodes.InvalidBackend, $"{field}.resource", "resource backends are not supported; use a service backend");
        }

        var service = backend.Service;
        if (service is null || string.IsNullOrEmpty(service.Name))
        {
            return context.Error<BackendRef?>(DiagnosticCodes.InvalidBackend, $"{field}.service.name", "a service backend needs a service name");
        }

        var port = service.Port;
        var hasName = !string.IsNullOrEmpty(port?.Name);
        var hasNumber = port?.Number is not null;
        if (hasName == hasNumber)
        {
            return context.Error<BackendRef?>(DiagnosticCodes.InvalidBackend, $"{field}.service.port", "exactly one of port.name or port.number is required");
        }

        if (port!.Number is < 1 or > 65535)
        {
            return context.Error<BackendRef?>(DiagnosticCodes.InvalidBackend, $"{field}.service.port.number", $"{port.Number} is not a port from 1 to 65535");
        }

        return new BackendRef(context.Reference.Namespace, service.Name, hasName ? port.Name : null, port.Number);
    }

    private sealed class Context(ObjectRef reference, ObjectOrigin origin, List<Diagnostic> errors)
    {
        public ObjectRef Reference => reference;

        public void Error(string code, string field, string message) =>
            errors.Add(Diagnostic.Error(code, message, reference, origin, field));

        public void Warning(string code, string field, string message) =>
            errors.Add(Diagnostic.Warning(code, message, reference, origin, field));

        public T? Error<T>(string code, string field, string message)
        {
            Error(code, field, message);
            return default;
        }
    }
}
