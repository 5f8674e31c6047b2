using System.Text.RegularExpressions;
using OneHop.Core.Tests.Support;

namespace OneHop.Core.Tests;

/// <summary>
/// Imports point upstream (docs/architecture.md): data flows Sources → ClusterState → Translator → RoutingSnapshot →
/// data plane, and every <c>OneHop.Core.X</c> reference in src/OneHop.Core must follow these rules, with no cycle
/// between folders.
/// </summary>
public sealed partial class ArchitectureTests
{
    private static readonly string[] Model = ["State", "Diagnostics", "Concurrency", "Configuration"];
    private static readonly string[] DataPlane = ["Proxy", "Balancing", "Health", "Tls"];

    /// <summary>What each top-level folder may import (besides itself).</summary>
    private static readonly Dictionary<string, string[]> Allowed = new(StringComparer.Ordinal)
    {
        ["State"] = Model,
        ["Diagnostics"] = Model,
        ["Concurrency"] = Model,
        ["Configuration"] = Model,
        ["Sources"] = Model,
        ["Routing"] = Model,
        ["Reachability"] = Model,
        ["Telemetry"] = [.. Model, "Routing"],
        ["Migration"] = [.. Model, "Routing"],
        ["Proxy"] = [.. Model, "Routing", "Telemetry", .. DataPlane],
        ["Balancing"] = [.. Model, "Routing", "Telemetry", .. DataPlane],
        ["Health"] = [.. Model, "Routing", "Telemetry", .. DataPlane],
        ["Tls"] = [.. Model, "Routing", "Telemetry", .. DataPlane],
        ["Control"] = [.. Model, "Routing", "Telemetry", .. DataPlane, "Sources"],
        ["Admin"] = ["*"],
        ["Demo"] = ["*"],
    };

    private static readonly string CoreDirectory = Path.GetFullPath(Path.Combine(SourceTree.ProjectDirectory, "..", "..", "src", "OneHop.Core"));

    [Fact]
    public void Every_import_follows_the_rules()
    {
        var violations = Imports()
            .Where(i => !Allowed.TryGetValue(i.From, out var allowed) || (!allowed.Contains("*") && !allowed.Contains(i.To)))
            .Select(i => $"{i.File}: {i.From} imports {i.To}")
            .Distinct()
            .ToList();

        Assert.Empty(violations);
    }

    [Fact]
    public void No_folder_imports_itself_through_another()
    {
        var graph = Imports().GroupBy(i => i.From).ToDictionary(g => g.Key, g => g.Select(i => i.To).ToHashSet(), StringComparer.Ordinal);
        var cycles = new List<string>();
        foreach (var start in graph.Keys)
        {
            var path = new Stack<string>();
            Visit(start, start, graph, path, new HashSet<string>(StringComparer.Ordinal), cycles);
        }

        Assert.Empty(cycles.Distinct());
    }

    [Fact]
    public void Every_folder_is_covered_by_the_rules() =>
        Assert.DoesNotContain(Directory.GetDirectories(CoreDirectory).Select(Path.GetFileName), d => d is not ("bin" or "obj") && !Allowed.ContainsKey(d!));

    private static void Visit(string start, string node, Dictionary<string, HashSet<string>> graph, Stack<string> path, HashSet<string> seen, List<string> cycles)
    {
        path.Push(node);
        foreach (var next in graph.GetValueOrDefault(node) ?? [])
        {
            if (next == start)
            {
                cycles.Add(string.Join(" -> ", path.Reverse().Append(start)));
            }
            else if (seen.Add(next))
            {
                Visit(start, next, graph, path, seen, cycles);
            }
        }

        path.Pop();
    }

    private static List<(string File, string From, string To)> Imports()
    {
        var imports = new List<(string, string, string)>();
        foreach (var file in Directory.EnumerateFiles(CoreDirectory, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(CoreDirectory, file);
            if (relative.StartsWith("obj", StringComparison.Ordinal) || relative.StartsWith("bin", StringComparison.Ordinal) || !relative.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                continue;
            }

            var from = relative.Split(Path.DirectorySeparatorChar)[0];
            foreach (Match match in Reference().Matches(File.ReadAllText(file)))
            {
                var to = match.Groups[1].Value;
                if (to != from)
                {
                    imports.Add((relative, from, to));
                }
            }
        }

        return imports;
    }

    [GeneratedRegex(@"OneHop\.Core\.([A-Za-z]+)")]
    private static partial Regex Reference();
}
