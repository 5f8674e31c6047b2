namespace OneHop.Core.State;

/// <summary>
/// Where an object came from, for diagnostics only: the translator never branches on it.
/// </summary>
/// <param name="Source">The source's name, e.g. "manifests" or "kubernetes".</param>
/// <param name="File">The file, relative to the manifest directory, when the source is a directory.</param>
/// <param name="Document">Zero-based index of the YAML document (or List item) in the file.</param>
/// <param name="Line">One-based line where the document starts.</param>
internal sealed record ObjectOrigin(string Source, string? File = null, int? Document = null, int? Line = null)
{
    public static readonly ObjectOrigin Kubernetes = new("kubernetes");

    public override string ToString()
    {
        if (File is null)
        {
            return Source;
        }

        var text = Document is { } doc ? $"{File}#{doc}" : File;
        return Line is { } line ? $"{text} (line {line})" : text;
    }
}
