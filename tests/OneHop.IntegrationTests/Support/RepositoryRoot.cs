namespace OneHop.IntegrationTests.Support;

/// <summary>The clone the tests were built from: the nearest directory above the test binaries holding OneHop.slnx.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "OneHop.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no OneHop.slnx above {AppContext.BaseDirectory}");
    }
}
