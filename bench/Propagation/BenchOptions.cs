using System.Globalization;

namespace Propagation;

/// <summary>The benchmark's knobs, from <c>--name value</c> arguments (bench/propagation.sh passes them).</summary>
internal sealed record BenchOptions
{
    public const string Usage = """
        usage: propagation --onehop PATH [options]
          --onehop PATH           onehop.dll (run with dotnet) or an onehop executable
          --onehop-core N         pin OneHop to this core with taskset (default: no pinning)
          --work DIR              kubeconfig and OneHop's log go here (default: a temporary directory)
          --pidfile FILE          write OneHop's pid here, so a wrapper can kill it if this process dies
          --markdown FILE         also write the report here
          --services N            Services, each with one EndpointSlice and one Ingress rule (default 1000)
          --endpoints N           endpoints per EndpointSlice (default 10)
          --rules-per-ingress N   Ingress rules per Ingress object (default 1: one Ingress per Service)
          --probes N              Services whose changes are measured (default 10)
          --pod-subnet A.B.C      real pods listen on A.B.C.1 .. A.B.C.pods, port 8080 (default 10.252.0)
          --pods N                real pods (default 20)
          --fake-prefix A.B       background endpoints get A.B.x.y addresses, never contacted (default 10.253)
          --churn-rate R          background EndpointSlice changes per second (default 100)
          --measured-rate R       measured changes per second on the probe Services (default 10)
          --arrivals KIND         poisson (default) or uniform spacing of the background changes
          --idle S                seconds of CPU measured with no changes (default 5)
          --warmup S              seconds of churn and measured changes left out of the figures (default 10)
          --duration S            seconds of the measured window (default 30)
          --poll-ms MS            pause between a probe's requests through OneHop (default 2)
          --sample-timeout S      a change not seen after this long counts as lost (default 10)
          --measure WHAT          endpoints (default): a probe Service's ready endpoint moves to another pod;
                                  routes: a probe HTTPRoute (on a Gateway listener) moves to another probe Service
        """;

    public required string OneHop { get; init; }
    public int? OneHopCore { get; init; }
    public string? WorkDirectory { get; init; }
    public string? PidFile { get; init; }
    public string? MarkdownFile { get; init; }
    public int Services { get; init; } = 1000;
    public int EndpointsPerSlice { get; init; } = 10;
    public int RulesPerIngress { get; init; } = 1;
    public int Probes { get; init; } = 10;
    public string PodSubnet { get; init; } = "10.252.0";
    public int Pods { get; init; } = 20;
    public string FakePrefix { get; init; } = "10.253";
    public double ChurnRate { get; init; } = 100;
    public double MeasuredRate { get; init; } = 10;
    public bool PoissonArrivals { get; init; } = true;
    public TimeSpan Idle { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(2);
    public TimeSpan SampleTimeout { get; init; } = TimeSpan.FromSeconds(10);
    public bool MeasureRoutes { get; init; }

    public const int PodPort = 8080;

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                throw new ArgumentException($"expected --name value, got '{args[i]}'");
            }

            values[args[i][2..]] = args[i + 1];
        }

        string? Text(string name) => values.Remove(name, out var v) ? v : null;
        int Int(string name, int fallback, int min) => Text(name) is { } v
            ? int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min ? n : throw new ArgumentException($"--{name} {v}: not a whole number ≥ {min}")
            : fallback;
        double Number(string name, double fallback) => Text(name) is { } v
            ? double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"--{name} {v}: not a positive number")
            : fallback;

        var options = new BenchOptions
        {
            OneHop = Text("onehop") ?? throw new ArgumentException("--onehop PATH is required"),
            OneHopCore = Text("onehop-core") is { } core ? int.Parse(core, CultureInfo.InvariantCulture) : null,
            WorkDirectory = Text("work"),
            PidFile = Text("pidfile"),
            MarkdownFile = Text("markdown"),
            Services = Int("services", 1000, 2),
            EndpointsPerSlice = Int("endpoints", 10, 1),
            RulesPerIngress = Int("rules-per-ingress", 1, 1),
            Probes = Int("probes", 10, 1),
            PodSubnet = Text("pod-subnet") ?? "10.252.0",
            Pods = Int("pods", 20, 2),
            FakePrefix = Text("fake-prefix") ?? "10.253",
            ChurnRate = Number("churn-rate", 100),
            MeasuredRate = Number("measured-rate", 10),
            PoissonArrivals = (Text("arrivals") ?? "poisson") switch
            {
                "poisson" => true,
                "uniform" => false,
                var other => throw new ArgumentException($"--arrivals {other}: poisson or uniform"),
            },
            Idle = SecondsOf(Text("idle"), TimeSpan.FromSeconds(5), "idle"),
            Warmup = SecondsOf(Text("warmup"), TimeSpan.FromSeconds(10), "warmup"),
            Duration = SecondsOf(Text("duration"), TimeSpan.FromSeconds(30), "duration"),
            PollInterval = Text("poll-ms") is { } poll ? TimeSpan.FromMilliseconds(Positive(poll, "poll-ms")) : TimeSpan.FromMilliseconds(2),
            SampleTimeout = SecondsOf(Text("sample-timeout"), TimeSpan.FromSeconds(10), "sample-timeout"),
            MeasureRoutes = (Text("measure") ?? "endpoints") switch
            {
                "endpoints" => false,
                "routes" => true,
                var other => throw new ArgumentException($"--measure {other}: endpoints or routes"),
            },
        };
        if (values.Count > 0)
        {
            throw new ArgumentException($"unknown option --{values.Keys.First()}");
        }

        if (options.Probes >= options.Services)
        {
            throw new ArgumentException("--probes must be fewer than --services");
        }

        if (options.MeasureRoutes && (options.Probes < 2 || options.Probes > options.Pods))
        {
            throw new ArgumentException("--measure routes needs 2 to --pods probes: each probe Service keeps a pod of its own");
        }

        return options;
    }

    private static TimeSpan SecondsOf(string? text, TimeSpan fallback, string name) =>
        text is null ? fallback : TimeSpan.FromSeconds(Positive(text, name));

    private static double Positive(string text, string name) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= 0
            ? n
            : throw new ArgumentException($"--{name} {text}: not a number ≥ 0");
}
