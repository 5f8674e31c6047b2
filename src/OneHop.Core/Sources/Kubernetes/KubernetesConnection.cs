using System.Net;
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

                return (new k8s.Kubernetes(KubernetesClientConfiguration.InClusterConfig()), null);
            }

            var path = kubeconfig ?? KubernetesClientConfiguration.KubeConfigDefaultLocation;
            if (!File.Exists(path))
            {
                return (null, $"kubeconfig {path} does not exist; give --kubeconfig PATH, or --in-cluster when OneHop runs in a pod");
            }

            return (new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(path, context)), null);
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
