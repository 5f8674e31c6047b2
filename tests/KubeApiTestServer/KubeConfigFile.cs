using System.Globalization;
using System.Text;

namespace KubeApiTestServer;

/// <summary>Writes kubeconfig files that KubernetesClient's <c>BuildConfigFromConfigFile</c> accepts.</summary>
public static class KubeConfigFile
{
    public const string DefaultContextName = "onehop-test";

    /// <summary>
    /// Writes a kubeconfig with one cluster (the plain-HTTP <paramref name="server"/>), one user with the bearer
    /// <paramref name="token"/> (none when it is null) and one context named <paramref name="contextName"/>, made current.
    /// Returns <paramref name="path"/>.
    /// </summary>
    public static string Write(
        string path, Uri server, string? token = null, string contextName = DefaultContextName, string? defaultNamespace = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentException.ThrowIfNullOrEmpty(contextName);
        var text = new StringBuilder();
        text.AppendLine("apiVersion: v1");
        text.AppendLine("kind: Config");
        text.AppendLine("clusters:");
        text.AppendLine(CultureInfo.InvariantCulture, $"- name: {Quote(contextName)}");
        text.AppendLine("  cluster:");
        text.AppendLine(CultureInfo.InvariantCulture, $"    server: {Quote(server.ToString().TrimEnd('/'))}");
        if (token is null)
        {
            // KubernetesClient refuses a user entry without credentials; a context without a user is fine.
            text.AppendLine("users: []");
        }
        else
        {
            text.AppendLine("users:");
            text.AppendLine(CultureInfo.InvariantCulture, $"- name: {Quote(contextName)}");
            text.AppendLine("  user:");
            text.AppendLine(CultureInfo.InvariantCulture, $"    token: {Quote(token)}");
        }

        text.AppendLine("contexts:");
        text.AppendLine(CultureInfo.InvariantCulture, $"- name: {Quote(contextName)}");
        text.AppendLine("  context:");
        text.AppendLine(CultureInfo.InvariantCulture, $"    cluster: {Quote(contextName)}");
        if (token is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"    user: {Quote(contextName)}");
        }
        if (defaultNamespace is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"    namespace: {Quote(defaultNamespace)}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"current-context: {Quote(contextName)}");
        File.WriteAllText(path, text.ToString());
        return path;
    }

    private static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
