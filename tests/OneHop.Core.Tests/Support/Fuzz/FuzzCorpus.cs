using k8s;
using OneHop.Core.Sources.Manifests;
using OneHop.Core.State;
using OneHop.Core.Tests.Routing;

namespace OneHop.Core.Tests.Support.Fuzz;

/// <summary>
/// The seeds the property tests mutate: the golden cases' manifests (every kind OneHop reads, good and bad, in the
/// shapes the translator's tests care about) and config files (the golden ones and Fuzz/configs/).
/// </summary>
internal static class FuzzCorpus
{
    private static readonly Lazy<IReadOnlyList<ClusterSeed>> LazyClusters = new(LoadClusters);
    private static readonly Lazy<IReadOnlyList<string>> LazyManifestTexts = new(() => ManifestFiles().Select(File.ReadAllText).ToList());
    private static readonly Lazy<IReadOnlyList<string>> LazyConfigTexts = new(LoadConfigs);

    /// <summary>One golden case's objects, each as its kind and its JSON.</summary>
    public static IReadOnlyList<ClusterSeed> Clusters => LazyClusters.Value;

    public static IReadOnlyList<string> ManifestTexts => LazyManifestTexts.Value;

    public static IReadOnlyList<string> ConfigTexts => LazyConfigTexts.Value;

    private static IEnumerable<string> ManifestFiles() =>
        Directory.EnumerateFiles(GoldenCase.Root, "*.*", SearchOption.AllDirectories)
            .Where(f => ManifestParser.IsManifestFile(f) && Path.GetFileName(f) != "onehop.yaml")
            .Order(StringComparer.Ordinal);

    private static List<ClusterSeed> LoadClusters()
    {
        var seeds = new List<ClusterSeed>();
        foreach (var directory in Directory.GetDirectories(GoldenCase.Root).Order(StringComparer.Ordinal))
        {
            var objects = new List<(KubeKind, string)>();
            foreach (var file in Directory.EnumerateFiles(Path.Combine(directory, "manifests")).Where(ManifestParser.IsManifestFile).Order(StringComparer.Ordinal))
            {
                foreach (var parsed in ManifestParser.Parse(file, File.ReadAllText(file)).Objects)
                {
                    var kind = KindRegistry.Of(parsed.Object)!;
                    objects.Add((kind, KubernetesJson.Serialize(parsed.Object)));
                }
            }

            var config = Path.Combine(directory, "onehop.yaml");
            seeds.Add(new ClusterSeed(Path.GetFileName(directory), objects, File.Exists(config) ? File.ReadAllText(config) : null));
        }

        return seeds;
    }

    private static List<string> LoadConfigs() =>
    [
        .. Directory.EnumerateFiles(GoldenCase.Root, "onehop.yaml", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(SourceTree.ProjectDirectory, "Support", "Fuzz", "configs")))
            .Order(StringComparer.Ordinal)
            .Select(File.ReadAllText),
    ];
}
