using System.Text;

namespace OneHop.Core.Routing;

/// <summary>A key of a Secret as text: from <c>data</c> (UTF-8), else <c>stringData</c> (manifests may use either); null when absent or empty.</summary>
internal static class SecretText
{
    public static string? Of(k8s.Models.V1Secret secret, string key) =>
        secret.Data?.TryGetValue(key, out var bytes) == true && bytes is { Length: > 0 } ? Encoding.UTF8.GetString(bytes)
        : secret.StringData?.TryGetValue(key, out var text) == true && !string.IsNullOrEmpty(text) ? text : null;
}
