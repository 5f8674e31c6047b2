using System.Net;
using System.Runtime.CompilerServices;
using k8s;
using k8s.Autorest;
using k8s.Exceptions;

namespace OneHop.Core.Sources.Kubernetes;

/// <summary>
/// Connects to the API server with KubernetesClient, from a kubeconfig (OneHop outside the cluster: the machines
/// that run HAProxy today) or from the pod's service account (inside). Every failure says what to fix.
/// </summary>
internal static class KubernetesConnection
{
    public static (IKubernetes? Client, string? Error) Connect(string? kubeconfig, string? context, bool inCluster)
    {
        try
        {
            if (inCluster)
            {
                if (!KubernetesClientConfiguration.IsInCluster())
                {
                    return (null, "--in-cluster: not running in a pod (KUBERNETES_SERVICE_HOST is not set or the service account token is missing at /var/run/secrets/kubernetes.io/serviceaccount); use --kubeconfig outside the cluster");
                }

                return (NewClient(KubernetesClientConfiguration.InClusterConfig()), null);
            }

            var (path, tried) = KubeconfigPath(kubeconfig, Environment.GetEnvironmentVariable("KUBECONFIG"));
            if (path is null)
            {
                return (null, $"no kubeconfig: {tried} does not exist; give --kubeconfig PATH, or --in-cluster when OneHop runs in a pod");
            }

            kubeconfig = path;
            var config = KubeconfigFile.Read(path);
            if (!RuntimeFeature.IsDynamicCodeSupported && KubeconfigFile.PluginUser(config, context) is { } user)
            {
                // KubernetesClient hands the plugin its KUBERNETES_EXEC_INFO serialized by reflection, which throws here.
                return (null, $"kubeconfig {path}: user {user} gets its credentials from an exec plugin, which the Native AOT build of onehop cannot run; use a token or client certificate, or the JIT build");
            }

            return (NewClient(KubernetesClientConfiguration.BuildConfigFromConfigObject(config, context)), null);
        }
        catch (KubeConfigException ex)
        {
            return (null, $"kubeconfig {kubeconfig}: {ex.Message}{(context is null ? string.Empty : " (check --context)")}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or YamlDotNet.Core.YamlException)
        {
            return (null, $"cannot read kubeconfig {kubeconfig}: {ex.Message}");
        }
    }

    /// <summary>
    /// The API client OneHop runs with: its response bodies are read on the thread pool (<see cref="ThreadPoolReads"/>),
    /// and its JSON knows OneHop's types (<see cref="KubernetesJsonTypes"/>, already there when <c>onehop</c> runs).
    /// </summary>
    public static k8s.Kubernetes NewClient(KubernetesClientConfiguration config)
    {
        KubernetesJsonTypes.Register();
        return new(config, new ThreadPoolReads());
    }

    /// <summary>
    /// The kubeconfig to read, as kubectl finds it: <c>--kubeconfig</c>; else the first file of <c>$KUBECONFIG</c> (a
    /// list separated like PATH) that exists; else <c>~/.kube/config</c>. Null with what was tried when none exists.
    /// </summary>
    public static (string? Path, string Tried) KubeconfigPath(string? explicitPath, string? environment)
    {
        if (explicitPath is not null)
        {
            return (File.Exists(explicitPath) ? explicitPath : null, explicitPath);
        }

        var candidates = string.IsNullOrEmpty(environment)
            ? [KubernetesClientConfiguration.KubeConfigDefaultLocation]
            : environment.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var found = candidates.FirstOrDefault(File.Exists);
        return (found, string.IsNullOrEmpty(environment) ? candidates[0] : $"none of $KUBECONFIG ({environment})");
    }

    /// <summary>
    /// Asks the API server for one Service to find out whether the credentials work. Rejected credentials (401) are
    /// a reason to stop; an unreachable server or a 403 are not: the informers retry and report per kind.
    /// </summary>
    public static async Task<string?> CheckCredentialsAsync(IKubernetes client, CancellationToken cancellationToken)
    {
        try
        {
            await client.CoreV1.ListServiceForAllNamespacesAsync(limit: 1, cancellationToken: cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Unauthorized)
        {
            return $"the API server at {client.BaseUri} rejected OneHop's credentials (401 Unauthorized): renew the token or certificate in the kubeconfig, or check the service account";
        }
        catch (Exception ex) when (ex is HttpOperationException or HttpRequestException or IOException or TaskCanceledException)
        {
            return null;
        }
    }
}
