using System.Runtime.CompilerServices;

namespace OneHop.Core.Tests.Support;

/// <summary>Finds test assets in the source tree, so golden files can be read and regenerated in place.</summary>
internal static class SourceTree
{
    public static string ProjectDirectory { get; } = Path.GetDirectoryName(ThisFile())!.Replace($"{Path.DirectorySeparatorChar}Support", string.Empty, StringComparison.Ordinal);

    /// <summary>Set ONEHOP_UPDATE_GOLDEN=1 to rewrite expected files from the current output.</summary>
    public static bool UpdateGolden => Environment.GetEnvironmentVariable("ONEHOP_UPDATE_GOLDEN") == "1";

    private static string ThisFile([CallerFilePath] string path = "") => path;
}
