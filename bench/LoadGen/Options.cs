using System.Globalization;

namespace LoadGen;

/// <summary>The command line, parsed.</summary>
internal sealed record Options
{
    public const string Usage =
        "usage: loadgen --url URL (--rate REQ_PER_S | --closed) --duration S [--warmup S] [--connections N] [--new-connection]\n" +
        "               [--no-tls-resume] [--h2] [--host HOST] [--count-header NAME] [--cpu-pid PID]... [--timeout S] [--ca FILE]\n" +
        "               [--latency-log FILE]";

    public required Uri Url { get; init; }

    public required double Rate { get; init; }

    /// <summary>Seconds measured.</summary>
    public required double Duration { get; init; }

    /// <summary>Seconds at the same rate before the measured part, not recorded: warms this process's JIT and the connections.</summary>
    public double Warmup { get; init; } = 0.5;

    public int Connections { get; init; } = 16;

    public bool NewConnection { get; init; }

    public bool Http2 { get; init; }

    /// <summary>Closed loop (HTTP/1.1 only): every connection sends its next request as soon as its answer is in; throughput only.</summary>
    public bool Closed { get; init; }

    /// <summary>Full TLS handshakes only: no session is offered for resumption.</summary>
    public bool NoTlsResume { get; init; }

    /// <summary>Host header (default: the URL's authority), for name-based routing.</summary>
    public string? Host { get; init; }

    /// <summary>A response header whose values are counted (X-Pod: which pod answered).</summary>
    public string? CountHeader { get; init; }

    /// <summary>Processes whose CPU time (utime + stime) is measured over the measured part.</summary>
    public IReadOnlyList<int> CpuPids { get; init; } = [];

    /// <summary>Seconds to wait for outstanding answers after the last request is due.</summary>
    public double Timeout { get; init; } = 10;

    /// <summary>PEM file of the CA that signed the server certificate (https URLs).</summary>
    public string? Ca { get; init; }

    /// <summary>A file to write every measured request's due time and latency to, in due order (not with --closed).</summary>
    public string? LatencyLog { get; init; }

    public static Options Parse(string[] args)
    {
        Uri? url = null;
        double? rate = null, duration = null;
        var result = new Options { Url = new Uri("http://127.0.0.1/"), Rate = 1, Duration = 1 };
        var pids = new List<int>();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            double Number() => double.TryParse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= 0 ? v : throw new ArgumentException($"{args[i]} needs a non-negative number");
            switch (args[i])
            {
                case "--url": url = new Uri(Value()); break;
                case "--rate": rate = Number(); break;
                case "--duration": duration = Number(); break;
                case "--warmup": result = result with { Warmup = Number() }; break;
                case "--connections": result = result with { Connections = Math.Max(1, (int)Number()) }; break;
                case "--new-connection": result = result with { NewConnection = true }; break;
                case "--h2": result = result with { Http2 = true }; break;
                case "--closed": result = result with { Closed = true }; break;
                case "--no-tls-resume": result = result with { NoTlsResume = true }; break;
                case "--host": result = result with { Host = Value() }; break;
                case "--count-header": result = result with { CountHeader = Value() }; break;
                case "--cpu-pid": pids.Add((int)Number()); break;
                case "--timeout": result = result with { Timeout = Number() }; break;
                case "--ca": result = result with { Ca = Value() }; break;
                case "--latency-log": result = result with { LatencyLog = Value() }; break;
                default: throw new ArgumentException($"unknown argument {args[i]}");
            }
        }

        if (url is null || (rate is not > 0 && !result.Closed) || duration is not > 0)
        {
            throw new ArgumentException("--url, --rate (or --closed) and --duration are required");
        }

        if (result.Closed && result.LatencyLog is not null)
        {
            throw new ArgumentException("--latency-log is for the open loop (--rate): a closed loop has no due times");
        }

        if (result.Closed && result.Http2)
        {
            throw new ArgumentException("--closed is for HTTP/1.1 only (h2load measures HTTP/2 throughput)");
        }

        if (url.Scheme == Uri.UriSchemeHttps && result.Ca is null)
        {
            throw new ArgumentException("an https URL needs --ca FILE (the test CA)");
        }

        if (result.Http2 && url.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException("--h2 needs an https:// URL (HTTP/2 by ALPN)");
        }

        return result with { Url = url, Rate = rate ?? 0, Duration = duration.Value, CpuPids = pids };
    }
}
