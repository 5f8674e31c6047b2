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
    public void No_folder_imports_itself_through_another() => Assert.Empty(Cycles(Imports()));

    /// <summary>
    /// The same one-way rule a level down (Proxy.Http uses Proxy.Http1, so Proxy.Http1 may not use Proxy.Http), for the
    /// <c>using</c> and qualified references a file writes; a child's implicit view of its parent namespace is not seen.
    /// </summary>
    [Fact]
    public void No_subfolder_imports_itself_through_another() => Assert.Empty(Cycles(Imports(depth: 2)));

    private static List<string> Cycles(List<(string File, string From, string To)> imports)
    {
        var graph = imports.GroupBy(i => i.From).ToDictionary(g => g.Key, g => g.Select(i => i.To).ToHashSet(), StringComparer.Ordinal);
        var cycles = new List<string>();
        foreach (var start in graph.Keys)
        {
            var path = new Stack<string>();
            Visit(start, start, graph, path, new HashSet<string>(StringComparer.Ordinal), cycles);
        }

        return [.. cycles.Distinct()];
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

    /// <summary>Each file's references to other folders, folders named to <paramref name="depth"/> levels (Proxy, Proxy.Http).</summary>
    private static List<(string File, string From, string To)> Imports(int depth = 1)
    {
        var imports = new List<(string, string, string)>();
        foreach (var file in Directory.EnumerateFiles(CoreDirectory, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(CoreDirectory, file);
            if (relative.StartsWith("obj", StringComparison.Ordinal) || relative.StartsWith("bin", StringComparison.Ordinal) || !relative.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                continue;
            }

            var folders = relative.Split(Path.DirectorySeparatorChar)[..^1];
            var from = string.Join('.', folders.Take(depth));
            foreach (Match match in Reference().Matches(File.ReadAllText(file)))
            {
                var to = FolderOf(match.Groups[1].Value.Split('.'), depth);
                if (to != from)
                {
                    imports.Add((relative, from, to));
                }
            }
        }

        return imports;
    }

    /// <summary>The deepest existing folder, at most <paramref name="depth"/> levels, a dotted reference names.</summary>
    private static string FolderOf(string[] names, int depth)
    {
        var take = Math.Min(depth, names.Length);
        while (take > 1 && !Directory.Exists(Path.Combine([CoreDirectory, .. names[..take]])))
        {
            take--;
        }

        return string.Join('.', names[..take]);
    }

    [GeneratedRegex(@"OneHop\.Core\.([A-Za-z0-9]+(?:\.[A-Za-z0-9]+)*)")]
    private static partial Regex Reference();
}
