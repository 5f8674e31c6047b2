namespace KubeApiTestServer.Tests.Support;

/// <summary>Bounds for every wait in the tests, so a broken server fails fast instead of hanging the run.</summary>
internal static class TestTimeouts
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(10);

    /// <summary>A token cancelled after <see cref="Default"/> or when the test run is cancelled.</summary>
    public static CancellationToken Token(TimeSpan? timeout = null)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        source.CancelAfter(timeout ?? Default);
        return source.Token;
    }
}
