namespace KubeApiTestServer.Selectors;

/// <summary>A selector that does not parse or names an unsupported field; answered with 400 BadRequest.</summary>
internal sealed class SelectorException : Exception
{
    public SelectorException()
    {
    }

    public SelectorException(string message)
        : base(message)
    {
    }

    public SelectorException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
