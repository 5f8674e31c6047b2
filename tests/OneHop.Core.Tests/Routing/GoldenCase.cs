using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OneHop.Core.Admin;
using OneHop.Core.Configuration;
using OneHop.Core.Diagnostics;
using OneHop.Core.Routing;
using OneHop.Core.Sources;
using OneHop.Core.Sources.Config;
using OneHop.Core.Sources.Manifests;
using OneHop.Core.Tests.Support;

namespace OneHop.Core.Tests.Routing;

/// <summary>
/// One directory under Golden/: <c>manifests/</c> (input), optional <c>onehop.yaml</c> (config), optional
/// <c>previous/</c> (an earlier state, translated first, for last-good cases), <c>expected.json</c> (the snapshot and
/// every diagnostic), and optional <c>requests.txt</c> (host, path and the backend each must reach).
/// </summary>
internal sealed record GoldenCase(string Name, TranslationResult Result, string Json)
{
    public static readonly string Root = Path.Combine(SourceTree.ProjectDirectory, "Routing", "Golden");

    public string Directory => Path.Combine(Root, Name);

    /// <param name="cached">
    /// Translate through a <see cref="TranslationCache"/>: the previous state, the current one, and the current one
    /// again, which then comes entirely from the cache. The result must not differ.
    /// </param>
    public static GoldenCase Run(string name, bool cached = false)
    {
        var cache = cached ? new TranslationCache() : null;
        var directory = Path.Combine(Root, name);
        var diagnostics = new List<Diagnostic>();
        var config = OneHopConfig.Default;
        var configPath = Path.Combine(directory, "onehop.yaml");
        if (File.Exists(configPath))
        {
            var loaded = ConfigLoader.Parse("onehop.yaml", File.ReadAllText(configPath));
            diagnostics.AddRange(loaded.Diagnostics);
            config = loaded.Config ?? OneHopConfig.Default;
        }

        var memory = TranslationMemory.Empty;
        var previous = Path.Combine(directory, "previous");
        if (System.IO.Directory.Exists(previous))
        {
            memory = Translator.Translate(new TranslatorInput(Load(previous).State, config, memory) { Cache = cache }).Memory;
        }

        var current = Load(Path.Combine(directory, "manifests"));
        diagnostics.AddRange(current.Diagnostics);
        var result = Translator.Translate(new TranslatorInput(current.State, config, memory) { Cache = cache });
        if (cache is not null)
        {
            result = Translator.Translate(new TranslatorInput(current.State, config, memory) { Cache = cache });
        }

        var json = JsonSerializer.Serialize(TranslationDocument.Of(result, diagnostics), AdminJsonContext.Default.TranslationDocument) + "\n";
        return new GoldenCase(name, result, json);
    }

    public static SourceSnapshot Load(string directory)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var source = new ManifestDirectorySource(directory, new ManifestSourceOptions(), time, NullLogger<ManifestDirectorySource>.Instance);
        source.Rescan();
        return source.Current;
    }
}
