using System.Globalization;
using System.Text;
using OneHop.Core.Admin;

namespace OneHop.Cli;

/// <summary>
/// <c>onehop status</c>'s picture of a <see cref="TopologyDocument"/> as plain text: a header line, the problems, then one
/// row per route → Service → pod with its state and load. Pure, so the layout is tested without a server.
/// </summary>
internal static class StatusTable
{
    private static readonly string[] Columns = ["ROUTE", "SERVICE", "POD", "STATE", "ZONE/NODE", "REQ/S", "P50 MS", "P99 MS", "IN FLIGHT", "ERRORS"];

    public static string Render(TopologyDocument document, string admin)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"OneHop at {admin}: {(document.Ready ? "ready" : $"NOT READY ({document.NotReadyReason})")}, {document.Role}");
        text.Append(document.Zone is null ? ", no zone" : $", zone {document.Zone}");
        if (document.CrossZoneShare is { } crossed)
        {
            text.Append(CultureInfo.InvariantCulture, $", {crossed * 100:0.#}% crossed zones");
        }

        text.Append(CultureInfo.InvariantCulture, $", snapshot {document.Version}, rates over the last {document.WindowSeconds} s\n");
        foreach (var problem in document.Problems)
        {
            text.Append(CultureInfo.InvariantCulture, $"{problem.Severity.ToUpperInvariant()} {problem.Area}: {(problem.Subject is null ? string.Empty : problem.Subject + ": ")}{problem.Message}{(problem.Code is null ? string.Empty : $" [{problem.Code}]")}\n");
        }

        text.Append('\n');
        var services = document.Services.ToDictionary(s => s.Id, StringComparer.Ordinal);
        var rows = new List<string[]> { Columns };
        foreach (var route in document.Routes)
        {
            var name = route.Listener is { } listener
                ? $"{route.Protocol} {listener}{(route.Host.Length == 0 ? string.Empty : " " + route.Host)} ({route.Kind})"
                : $"{(route.Host.Length == 0 ? "*" : route.Host)}{route.Path} ({route.Kind})";
            if (route.Backends.IsEmpty)
            {
                rows.Add([name, route.Redirect ? "(redirect)" : "(none)", "", "", "", "", "", "", "", ""]);
                continue;
            }

            foreach (var backend in route.Backends)
            {
                var service = services.GetValueOrDefault(backend.Id);
                var serviceName = backend.Weight is { } weight ? $"{backend.Id} ({weight})" : backend.Id;
                if (service?.MaxPerEndpoint is { } cap)
                {
                    // A capped Service: its cap per pod and the requests waiting in its queue.
                    serviceName += string.Create(CultureInfo.InvariantCulture, $" [max {cap}/pod, {service.Queued ?? 0} queued]");
                }

                var pods = service?.Zones.SelectMany(z => z.Nodes.SelectMany(n => n.Pods.Select(p => (Zone: z.Name, Node: n.Name, Pod: p)))).ToList() ?? [];
                if (pods.Count == 0)
                {
                    rows.Add([name, serviceName, service?.Problem ?? "(no endpoints)", "", "", "", "", "", "", ""]);
                    name = string.Empty;
                    continue;
                }

                foreach (var (zone, node, pod) in pods)
                {
                    rows.Add(
                    [
                        name,
                        serviceName,
                        pod.Name,
                        pod.State + (pod.InUse ? string.Empty : " (idle)") + (pod.Preferred ? " *" : string.Empty),
                        $"{zone ?? "-"}/{node ?? "-"}",
                        pod.RequestsPerSecond.ToString("0.0", CultureInfo.InvariantCulture),
                        Milliseconds(pod.P50Ms),
                        Milliseconds(pod.P99Ms),
                        pod.InFlight.ToString(CultureInfo.InvariantCulture),
                        pod.Errors.ToString(CultureInfo.InvariantCulture),
                    ]);
                    name = string.Empty;
                    serviceName = string.Empty;
                }
            }
        }

        if (rows.Count == 1)
        {
            return text.Append("no routes\n").ToString();
        }

        var widths = Enumerable.Range(0, Columns.Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (var row in rows)
        {
            text.Append(string.Join("  ", row.Select((cell, c) => c >= 5 ? cell.PadLeft(widths[c]) : cell.PadRight(widths[c]))).TrimEnd()).Append('\n');
        }

        if (document.Services.Any(s => s.Zones.Any(z => z.Nodes.Any(n => n.Pods.Any(p => p.Preferred)))))
        {
            text.Append("* in this replica's zone, preferred\n");
        }

        return text.ToString();
    }

    private static string Milliseconds(double? value) => value is { } ms ? ms.ToString("0.0", CultureInfo.InvariantCulture) : "-";
}
