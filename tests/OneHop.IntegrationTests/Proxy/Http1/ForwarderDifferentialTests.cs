using System.Globalization;
using System.Net.Sockets;
using OneHop.Core.Proxy.Epoll;
using OneHop.Core.Proxy.Http;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Proxy.Http1;

/// <summary>
/// The lean HTTP/1.1 forwarder against YARP's, the one it replaced: a generated corpus of requests goes through a
/// OneHop on each (to a pod of its own that answers alike), and what each pod received and each client got back must
/// be the same — start line, header fields and decoded body; the fields' order and the chunk sizes are each
/// forwarder's own, and the differences listed in <see cref="KnownRequestDifferences"/> are by design.
/// </summary>
public sealed class ForwarderDifferentialTests
{
    /// <summary>Fields of the client's answer that differ by nature: the time, and how Kestrel framed a body it relayed.</summary>
    private static readonly HashSet<string> ResponseNoise = ["date", "transfer-encoding"];

    /// <summary>Request fields either forwarder may frame differently while the body (compared decoded) is the same.</summary>
    private static readonly HashSet<string> KnownRequestDifferences = ["transfer-encoding", "content-length"];

    /// <summary>
    /// The lean forwarder on either transport (OneHop's epoll one, the default on Linux, and .NET's sockets) against
    /// YARP's forwarder on .NET's sockets: the reference both are held to.
    /// </summary>
    [Theory]
    [InlineData("epoll")]
    [InlineData("sockets")]
    public async Task The_lean_forwarder_delivers_what_yarps_delivers_to_pods_and_clients(string on)
    {
        var transport = on == "epoll" ? TransportKind.Epoll : TransportKind.Sockets;
        Assert.SkipWhen(transport == TransportKind.Epoll && !EpollEngine.IsSupported, "the epoll transport runs on Linux only");
        var ct = TestTimeouts.Token(TimeSpan.FromSeconds(120));
        await using var leanPod = RawPod.Start(DifferentialCorpus.Answer);
        await using var yarpPod = RawPod.Start(DifferentialCorpus.Answer);
        await using var lean = await OneHopInstance.StartAsync(
            new Dictionary<string, string> { ["app.yaml"] = leanPod.Manifests("app") }, ct, configure: o => o with { Transport = transport });
        await using var yarp = await OneHopInstance.StartAsync(
            new Dictionary<string, string> { ["app.yaml"] = yarpPod.Manifests("app") }, ct, configure: o => o with { Http1Forwarder = Http1ForwarderKind.Yarp, Transport = TransportKind.Sockets });
        var cases = DifferentialCorpus.Generate(240, seed: 20261203);
        var differences = new List<string>();
        var compared = 0;

        foreach (var @case in cases)
        {
            var leanAnswer = await SendAsync(lean.Port("http"), @case, ct);
            var yarpAnswer = await SendAsync(yarp.Port("http"), @case, ct);
            if (@case.ClientAborts)
            {
                continue;
            }

            var leanGot = Http1Message.ParseAll(leanAnswer, i => @case.Methods[Math.Min(i, @case.Methods.Count - 1)] == "HEAD", ResponseNoise, lean.Port("http"));
            var yarpGot = Http1Message.ParseAll(yarpAnswer, i => @case.Methods[Math.Min(i, @case.Methods.Count - 1)] == "HEAD", ResponseNoise, yarp.Port("http"));
            Compare(@case, "client got", leanGot, yarpGot, differences);

            var leanSent = ReceivedBy(leanPod, @case.Id, lean.Port("http"));
            var yarpSent = ReceivedBy(yarpPod, @case.Id, yarp.Port("http"));
            Compare(@case, "pod got", leanSent, yarpSent, differences);
            compared += @case.Requests.Count;
        }

        Assert.True(differences.Count == 0, $"{differences.Count} differences between the lean and YARP forwarders:\n\n{string.Join("\n\n", differences.Take(4))}");
        Assert.True(compared >= 200, $"only {compared} requests compared");

        // After every abort and tunnel, both still answer.
        var (leanStatus, _, _) = await lean.GetAsync("/d/9999/0", ct);
        var (yarpStatus, _, _) = await yarp.GetAsync("/d/9999/0", ct);
        Assert.Equal(yarpStatus, leanStatus);
        Assert.InRange(leanStatus, 200, 500);
    }

    private static void Compare(DifferentialCase @case, string what, List<Http1Message> lean, List<Http1Message> yarp, List<string> differences)
    {
        if (lean.Count != yarp.Count || lean.Zip(yarp).Any(p => !p.First.Same(p.Second)))
        {
            differences.Add($"{@case}\n{what}: {Describe(lean, yarp)}");
        }
    }

    /// <summary>Where two message lists part: message by message, the start lines, the fields only one has, the bodies.</summary>
    private static string Describe(List<Http1Message> lean, List<Http1Message> yarp)
    {
        var text = new System.Text.StringBuilder($"{lean.Count} message(s) by lean, {yarp.Count} by yarp");
        foreach (var (l, y) in lean.Zip(yarp))
        {
            if (l.StartLine != y.StartLine)
            {
                text.Append($"\n  start line: lean '{l.StartLine}', yarp '{y.StartLine}'");
            }

            foreach (var field in l.Fields.Except(y.Fields))
            {
                text.Append($"\n  only lean: {(field.Length > 120 ? field[..120] + "..." : field)}");
            }

            foreach (var field in y.Fields.Except(l.Fields))
            {
                text.Append($"\n  only yarp: {(field.Length > 120 ? field[..120] + "..." : field)}");
            }

            if (l.Body != y.Body)
            {
                text.Append($"\n  bodies: lean {l.Body.Length} chars, yarp {y.Body.Length} chars");
            }
        }

        return text.ToString();
    }

    /// <summary>What the pod received for the case, in order (by its path: an aborted request may come in late).</summary>
    private static List<Http1Message> ReceivedBy(RawPod pod, int id, int port) =>
        [.. pod.Requests.Where(r => r.Contains($" /d/{id.ToString(CultureInfo.InvariantCulture)}/", StringComparison.Ordinal))
            .SelectMany(r => Http1Message.ParseAll(r, _ => false, KnownRequestDifferences, port))];

    private static async Task<string> SendAsync(int port, DifferentialCase @case, CancellationToken ct)
    {
        using var connection = await RawConnection.OpenAsync(port, null, ct);
        try
        {
            await connection.SendAsync(System.Text.Encoding.Latin1.GetBytes(@case.Wire), ct);
        }
        catch (SocketException)
        {
            // OneHop may answer (a 431) and close before a large request is all sent.
        }

        return @case.ClientAborts ? string.Empty : await connection.ReadToCloseAsync(ct);
    }
}
