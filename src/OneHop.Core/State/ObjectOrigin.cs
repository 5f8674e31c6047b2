namespace OneHop.Core.State;

/// <summary>
/// Where an object came from, for diagnostics only: the translator never branches on it.
/// </summary>
/// <param name="Source">The source's name, e.g. "manifests" or "kubernetes".</param>
/// <param name="File">The file, relative to the manifest directory, when the source is a directory.</param>
/// <param name="Document">One-based number of the YAML document in the file, counted as an editor shows them (a JSON file is one document).</param>
/// <param name="Line">One-based line where the document, or the field a finding is about, starts.</param>
/// <param name="Column">One-based column of that field, when a finding is about a field.</param>
internal sealed record ObjectOrigin(string Source, string? File = null, int? Document = null, int? Line = null, int? Column = null)
{
    public static readonly ObjectOrigin Kubernetes = new("kubernetes");

    public override string ToString()
    {
        if (File is null)
        {
            return Source;
        }

        var text = Document is { } doc ? $"document {doc} of {File}" : File;
        return (Line, Column) switch
        {
            ({ } line, { } column) => $"{text} (line {line}, column {column})",
            ({ } line, null) => $"{text} (line {line})",
            _ => text,
        };
    }
}
