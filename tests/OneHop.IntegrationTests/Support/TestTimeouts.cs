namespace OneHop.IntegrationTests.Support;

/// <summary>Bounds a test in time: a token cancelled after the timeout or when the test run is cancelled.</summary>
internal static class TestTimeouts
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(30);

    public static CancellationToken Token(TimeSpan? timeout = null)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        source.CancelAfter(timeout ?? Default);
        return source.Token;
    }
}
