using OneHop.Core.Routing;
using OneHop.Core.Tests.Support;

namespace OneHop.Core.Tests.Routing;

/// <summary>
/// Manifests in, snapshot JSON out: every host and path rule of the Ingress spec, the conformance suite's cases,
/// EndpointSlice conditions, ports, slices, classes and each bad-input diagnostic. Regenerate with
/// <c>ONEHOP_UPDATE_GOLDEN=1 dotnet test</c> and review the diff.
/// </summary>
public sealed class TranslatorGoldenTests
{
    public static TheoryData<string> Cases() =>
        [.. Directory.GetDirectories(GoldenCase.Root).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal)];

    public static TheoryData<string> CasesWithRequests() =>
        [.. Directory.GetDirectories(GoldenCase.Root).Where(d => File.Exists(Path.Combine(d, "requests.txt"))).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Snapshot_and_diagnostics_match_the_golden_file(string name)
    {
        var golden = GoldenCase.Run(name);
        var expectedPath = Path.Combine(golden.Directory, "expected.json");
        if (SourceTree.UpdateGolden)
        {
            File.WriteAllText(expectedPath, golden.Json);
            return;
        }

        Assert.True(File.Exists(expectedPath), $"{expectedPath} is missing: run the tests with ONEHOP_UPDATE_GOLDEN=1 and review it");
        Assert.Equal(File.ReadAllText(expectedPath), golden.Json);
    }

    [Theory]
    [MemberData(nameof(CasesWithRequests))]
    public void Requests_reach_the_expected_backend(string name)
    {
        var golden = GoldenCase.Run(name);
        var table = new RouteTable(golden.Result.Snapshot);
        var backends = golden.Result.Snapshot.Backends.ToDictionary(b => b.Id);
        var mismatches = new List<string>();
        foreach (var line in File.ReadLines(Path.Combine(golden.Directory, "requests.txt")))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var (request, expected) = (line.Split(" => ")[0], line.Split(" => ")[1].Trim());
            var host = request.Split(' ')[0] is "_" ? string.Empty : request.Split(' ')[0];
            var path = request.Split(' ')[1];
            var route = table.Match(host, path);
            var actual = route switch
            {
                null => "404",
                { Filters.Redirect: { } redirect } => $"redirect {redirect.StatusCode}",
                { Splits.IsEmpty: false } when route.Splits.All(s => s.BackendId is null) => "500",
                { Splits.IsEmpty: false } => string.Join(" | ", route.Splits.Select(s => $"{s.BackendId ?? "500"} *{s.Weight}")),
                _ => backends[route.BackendId].Endpoints.IsEmpty ? "503" : route.BackendId,
            };
            if (actual != expected)
            {
                mismatches.Add($"{request}: expected {expected}, got {actual}");
            }
        }

        Assert.Empty(mismatches);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_translation_cache_changes_nothing(string name) =>
        Assert.Equal(GoldenCase.Run(name).Json, GoldenCase.Run(name, cached: true).Json);

    [Fact]
    public void Translation_is_repeatable()
    {
        var first = GoldenCase.Run("static-upstreams");
        var second = GoldenCase.Run("static-upstreams");
        Assert.Equal(first.Json, second.Json);
        Assert.Equal(first.Result.Snapshot, second.Result.Snapshot);
    }
}
