using System.Diagnostics;
using System.Globalization;

namespace OneHop.Core.Reachability;

/// <summary>
/// Applies pod routes with iproute2. Every route is tagged with OneHop's route protocol number, so that applying
/// is idempotent (<c>replace</c>) and pruning removes only routes OneHop added, never the operator's own.
/// </summary>
internal sealed class RouteTableWriter(string? networkNamespace = null)
{
    /// <summary>The <c>proto</c> tag of OneHop's routes (unassigned in /etc/iproute2/rt_protos).</summary>
    public const int Protocol = 212;

    public void Apply(PodRoute route) =>
        Ip(Family(route), "route", "replace", route.Cidr, "via", route.Via, "proto", Protocol.ToString(CultureInfo.InvariantCulture));

    /// <summary>Removes OneHop's routes whose destination is not in <paramref name="keep"/>; returns them.</summary>
    public IReadOnlyList<string> Prune(IReadOnlyCollection<PodRoute> keep)
    {
        var removed = new List<string>();
        foreach (var family in new[] { "-4", "-6" })
        {
            var listing = Ip(family, "route", "show", "proto", Protocol.ToString(CultureInfo.InvariantCulture));
            foreach (var line in listing.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var destination = line.Split(' ')[0];
                if (keep.Any(r => r.Cidr == destination))
                {
                    continue;
                }

                Ip(family, "route", "del", destination, "proto", Protocol.ToString(CultureInfo.InvariantCulture));
                removed.Add(destination);
            }
        }

        return removed;
    }

    private static string Family(PodRoute route) => route.IsIPv6 ? "-6" : "-4";

    private string Ip(string family, params string[] args)
    {
        var all = new List<string> { family };
        if (networkNamespace is not null)
        {
            all.InsertRange(0, ["-n", networkNamespace]);
        }

        all.AddRange(args);
        var start = new ProcessStartInfo("ip", all) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot run ip (install iproute2)");
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"ip {string.Join(' ', all)}: {error.Trim()}");
    }
}
