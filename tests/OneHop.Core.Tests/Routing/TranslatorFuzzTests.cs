using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using OneHop.Core.Admin;
using OneHop.Core.Configuration;
using OneHop.Core.Diagnostics;
using OneHop.Core.Routing;
using OneHop.Core.Sources;
using OneHop.Core.Sources.Config;
using OneHop.Core.Sources.Manifests;
using OneHop.Core.State;
using OneHop.Core.Tests.Support.Fuzz;

namespace OneHop.Core.Tests.Routing;

/// <summary>
/// The translator never throws on input: every golden case, its objects mutated at random (nulls anywhere, hostile
/// strings and numbers, emptied or null-holding lists, removed and duplicated entries, annotations with hostile
/// values), translated after its unmutated self (so the last-good memory is in play), with and without the
/// translation cache. Nothing may escape, no reader may fail (InternalError), and the cache may change nothing.
/// </summary>
public sealed class TranslatorFuzzTests
{
    [Fact]
    public void Mutated_objects_are_reported_never_thrown_on()
    {
        var cases = FuzzCorpus.Clusters;
        Gen.Select(Gen.Int[0, cases.Count - 1], FuzzBudget.Mutations())
            .Sample(
                (index, mutations) => TranslateMutated(cases[index], mutations),
                iter: FuzzBudget.Iterations(1500),
                writeLine: FuzzBudget.Report,
                seed: FuzzBudget.Seed,
                threads: 1,
                print: t => $"{cases[t.Item1]}: {string.Join(", ", t.Item2)}");
    }

    private static void TranslateMutated(ClusterSeed seed, Mutation[] mutations)
    {
        var config = seed.Config is { } text ? ConfigLoader.Parse("onehop.yaml", text).Config ?? OneHopConfig.Default : OneHopConfig.Default;
        var original = Build(seed.Objects.Select(o => (o.Kind, o.Json)));
        var root = new JsonArray([.. seed.Objects.Select(o => JsonNode.Parse(o.Json))]);
        JsonMutator.Apply(root, mutations);
        var mutated = Build(seed.Objects.Select((o, i) => (o.Kind, root[i]?.ToJsonString() ?? "null")));

        var memory = Translator.Translate(new TranslatorInput(original, config, TranslationMemory.Empty)).Memory;
        var plain = Translator.Translate(new TranslatorInput(mutated, config, memory));
        var cache = new TranslationCache();
        Translator.Translate(new TranslatorInput(original, config, TranslationMemory.Empty) { Cache = cache });
        var cached = Translator.Translate(new TranslatorInput(mutated, config, memory) { Cache = cache });

        Assert.DoesNotContain(plain.Diagnostics, d => d.Code == DiagnosticCodes.InternalError);
        Assert.Equal(Json(plain), Json(cached));
    }

    /// <summary>Cluster state as a source would give it: objects that deserialize and carry a name.</summary>
    private static ClusterState Build(IEnumerable<(KubeKind Kind, string Json)> objects)
    {
        var builder = new ClusterStateBuilder(new ObjectOrigin(ManifestParser.SourceName));
        foreach (var (kind, json) in objects)
        {
            k8s.IKubernetesObject<k8s.Models.V1ObjectMeta> obj;
            try
            {
                obj = kind.FromJson(json);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The manifest parser reports these; only objects that deserialize reach the translator.
                continue;
            }

            if (obj?.Metadata is { Name.Length: > 0 } metadata)
            {
                metadata.NamespaceProperty = kind.ClusterScoped ? null : string.IsNullOrEmpty(metadata.NamespaceProperty) ? "default" : metadata.NamespaceProperty;
                if (obj is not k8s.Models.V1Secret { Type: not "kubernetes.io/tls" })
                {
                    builder.Add(obj, new ObjectOrigin(ManifestParser.SourceName, "fuzz.yaml"));
                }
            }
        }

        return builder.Build();
    }

    private static string Json(TranslationResult result) =>
        JsonSerializer.Serialize(TranslationDocument.Of(result, []), AdminJsonContext.Default.TranslationDocument);
}
