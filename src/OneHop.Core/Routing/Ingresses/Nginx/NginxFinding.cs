namespace OneHop.Core.Routing.Ingresses.Nginx;

/// <summary>
/// One <c>nginx.ingress.kubernetes.io/*</c> annotation found on an Ingress: its registry entry (null when ingress-nginx
/// has no such annotation that OneHop knows of), its value, and what is wrong with the value.
/// </summary>
internal sealed record NginxFinding(string Key, string Value, NginxAnnotation? Entry, string? Problem)
{
    public string Field => $"metadata.annotations[{Key}]";

    /// <summary>Unknown, unsupported, or a bad value: nothing of it is served.</summary>
    public bool IsUnsupported => Entry is null || Entry.Support == NginxSupport.Unsupported || Problem is not null;
}
