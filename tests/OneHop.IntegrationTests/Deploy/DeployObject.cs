namespace OneHop.IntegrationTests.Deploy;

/// <summary>One YAML document of a file under deploy/, loaded as KubernetesClient's model of its kind.</summary>
internal sealed record DeployObject(string File, int Document, object Model)
{
    public string Where => $"{File} document {Document}";

    /// <summary>The file's directory: its Namespace manifest sets the Pod Security level the file's pods run under.</summary>
    public string Directory => System.IO.Path.GetDirectoryName(File)!;
}
