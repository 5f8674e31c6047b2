using CsCheck;
using OneHop.Core.Diagnostics;
using OneHop.Core.Routing;
using OneHop.Core.Sources;
using OneHop.Core.Sources.Manifests;
using OneHop.Core.State;
using OneHop.Core.Tests.Support.Fuzz;

namespace OneHop.Core.Tests.Sources.Manifests;

/// <summary>
/// The manifest parser never throws: every golden manifest file, its text mutated (YAML syntax inserted, ranges
/// deleted, lines repeated, the file cut short, hostile values inserted), parsed as YAML and as JSON, and whatever
/// objects it yields translated.
/// </summary>
public sealed class ManifestParserFuzzTests
{
    [Fact]
    public void Mutated_files_are_reported_never_thrown_on()
    {
        var texts = FuzzCorpus.ManifestTexts;
        Gen.Select(Gen.Int[0, texts.Count - 1], FuzzBudget.Mutations(4), Gen.Bool)
            .Sample(
                (index, mutations, json) => ParseAndTranslate(TextMutator.Apply(texts[index], mutations), json),
                iter: FuzzBudget.Iterations(1500),
                writeLine: FuzzBudget.Report,
                seed: FuzzBudget.Seed,
                threads: 1,
                print: t => $"file {t.Item1} as {(t.Item3 ? "json" : "yaml")}: {string.Join(", ", t.Item2)}");
    }

    private static void ParseAndTranslate(string text, bool asJson)
    {
        var result = ManifestParser.Parse(asJson ? "fuzz.json" : "fuzz.yaml", text);
        var builder = new ClusterStateBuilder(new ObjectOrigin(ManifestParser.SourceName));
        foreach (var parsed in result.Objects)
        {
            builder.Add(parsed.Object, parsed.Origin);
        }

        var translation = Translator.Translate(TranslatorInput.Of(builder.Build()));
        Assert.DoesNotContain(translation.Diagnostics, d => d.Code == DiagnosticCodes.InternalError);
    }
}
