using System.Text.Json.Nodes;
using CsCheck;
using OneHop.Core.Diagnostics;
using OneHop.Core.Routing;
using OneHop.Core.Sources.Config;
using OneHop.Core.State;
using OneHop.Core.Tests.Support.Fuzz;
using YamlDotNet.Serialization;

namespace OneHop.Core.Tests.Sources.Config;

/// <summary>
/// The config loader never throws: the corpus configs mutated as text and as trees (JSON is YAML, so a mutated tree
/// is fed back as JSON text), loaded, and every config that loads translated with an empty cluster.
/// </summary>
public sealed class ConfigLoaderFuzzTests
{
    [Fact]
    public void Every_corpus_config_loads_cleanly()
    {
        Assert.All(FuzzCorpus.ConfigTexts, text => Assert.Empty(ConfigLoader.Parse("onehop.yaml", text).Diagnostics));
    }

    [Fact]
    public void Mutated_text_is_reported_never_thrown_on()
    {
        var texts = FuzzCorpus.ConfigTexts;
        Gen.Select(Gen.Int[0, texts.Count - 1], FuzzBudget.Mutations(4))
            .Sample(
                (index, mutations) => LoadAndTranslate(TextMutator.Apply(texts[index], mutations)),
                iter: FuzzBudget.Iterations(1000),
                writeLine: FuzzBudget.Report,
                seed: FuzzBudget.Seed,
                threads: 1,
                print: t => $"config {t.Item1}: {string.Join(", ", t.Item2)}");
    }

    [Fact]
    public void Mutated_trees_are_reported_never_thrown_on()
    {
        var trees = FuzzCorpus.ConfigTexts.Select(AsJson).ToList();
        Gen.Select(Gen.Int[0, trees.Count - 1], FuzzBudget.Mutations())
            .Sample(
                (index, mutations) =>
                {
                    var root = new JsonArray(JsonNode.Parse(trees[index]));
                    JsonMutator.Apply(root, mutations);
                    LoadAndTranslate(root[0]?.ToJsonString() ?? "null");
                },
                iter: FuzzBudget.Iterations(1000),
                writeLine: FuzzBudget.Report,
                seed: FuzzBudget.Seed,
                threads: 1,
                print: t => $"config {t.Item1}: {string.Join(", ", t.Item2)}");
    }

    private static void LoadAndTranslate(string text)
    {
        var result = ConfigLoader.Parse("onehop.yaml", text);
        if (result.Config is { } config)
        {
            var translation = Translator.Translate(TranslatorInput.Of(ClusterState.Empty, config));
            Assert.DoesNotContain(translation.Diagnostics, d => d.Code == DiagnosticCodes.InternalError);
        }
    }

    private static string AsJson(string yaml) =>
        new SerializerBuilder().JsonCompatible().Build().Serialize(new DeserializerBuilder().Build().Deserialize<object>(yaml));
}
