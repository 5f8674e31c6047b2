using System.Collections.Immutable;
using System.Text;
using OneHop.Core.Diagnostics;
using OneHop.Core.Routing.Auth;
using OneHop.Core.State;

namespace OneHop.Core.Routing.Ingresses.Nginx;

/// <summary>
/// Reads the users of an Ingress's <c>auth-secret</c> from the cluster state, as ingress-nginx does: the Secret must be in
/// the Ingress's namespace and hold an htpasswd file under <c>auth</c>. When it cannot be read the routes still ask for
/// it and answer 503 (ingress-nginx denies such a location), with an error naming the Ingress and the annotation.
/// </summary>
internal static class NginxBasicAuthResolver
{
    private const string Field = $"metadata.annotations[{NginxAnnotations.Prefix}auth-secret]";

    public static RouteBasicAuth Resolve(CompiledIngress ingress, NginxBasicAuth basic, ClusterState cluster, List<Diagnostic> diagnostics)
    {
        if (basic.Secret.Length == 0)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidAnnotation, "auth-type basic needs auth-secret; the Ingress's paths answer 503 until it has one", ingress.Ref, ingress.Origin, $"metadata.annotations[{NginxAnnotations.Prefix}auth-type]"));
            return new RouteBasicAuth(basic.Realm, string.Empty, ImmutableDictionary<string, string>.Empty, "auth-type basic without auth-secret");
        }

        var slash = basic.Secret.IndexOf('/', StringComparison.Ordinal);
        var key = slash < 0 ? new ObjectKey(ingress.Ref.Namespace, basic.Secret) : new ObjectKey(basic.Secret[..slash], basic.Secret[(slash + 1)..]);
        if (key.Namespace != ingress.Ref.Namespace)
        {
            return Unusable(key, $"Secret {key} is in another namespace than the Ingress; ingress-nginx refuses that too", DiagnosticCodes.InvalidAnnotation);
        }

        if (!cluster.Secrets.TryGetValue(key, out var secret))
        {
            return Unusable(key, $"Secret {key} does not exist (OneHop reads Secrets with an htpasswd file under auth); the Ingress's paths answer 503 until it does", DiagnosticCodes.UnknownSecret);
        }

        var file = secret.Data?.TryGetValue(KubeKinds.HtpasswdKey, out var bytes) == true ? Encoding.UTF8.GetString(bytes)
            : secret.StringData?.TryGetValue(KubeKinds.HtpasswdKey, out var text) == true ? text : null;
        if (file is null)
        {
            return Unusable(key, $"Secret {key} has no htpasswd file under auth; the Ingress's paths answer 503 until it has", DiagnosticCodes.InvalidSecret);
        }

        var problems = new List<string>();
        var users = Htpasswd.Read(file, problems);
        foreach (var problem in problems)
        {
            diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.InvalidSecret, $"Secret {key} auth {problem}; that user cannot sign in", ingress.Ref, ingress.Origin, Field));
        }

        return new RouteBasicAuth(basic.Realm, key.ToString(), users);

        RouteBasicAuth Unusable(ObjectKey secretKey, string why, string code)
        {
            diagnostics.Add(Diagnostic.Error(code, why, ingress.Ref, ingress.Origin, Field));
            return new RouteBasicAuth(basic.Realm, secretKey.ToString(), ImmutableDictionary<string, string>.Empty, why);
        }
    }
}
