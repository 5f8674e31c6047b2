using System.Diagnostics.Metrics;
using System.Reflection;
using System.Runtime.InteropServices;

namespace OneHop.Core.Telemetry;

/// <summary>
/// <c>onehop_build_info</c>: always 1, labelled with what is running, so a dashboard can show versions side by side
/// during an upgrade and join them onto any other series.
/// </summary>
internal static class BuildInfoMetrics
{
    public static void Register(Meter meter)
    {
        // The SDK appends "+<commit>" to the informational version when it builds from a git checkout.
        var informational = typeof(BuildInfoMetrics).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        var tags = new KeyValuePair<string, object?>[]
        {
            new("version", plus < 0 ? informational : informational[..plus]),
            new("commit", plus < 0 ? "unknown" : informational[(plus + 1)..]),
            new("runtime", RuntimeInformation.FrameworkDescription),
        };
        meter.CreateObservableGauge("onehop.build_info", () => new Measurement<int>(1, tags), description: "Always 1; the labels say which OneHop build and .NET runtime this is.");
    }
}
