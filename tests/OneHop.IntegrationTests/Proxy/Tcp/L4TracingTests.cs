using System.Diagnostics;
using System.Net.Sockets;
using OneHop.Core.Telemetry.AccessLog;
using OneHop.Core.Telemetry.Tracing;
using OneHop.IntegrationTests.Proxy.Http.AccessLog;
using OneHop.IntegrationTests.Proxy.Http.Tracing;
using OneHop.IntegrationTests.Support;
using static OneHop.IntegrationTests.Support.Yaml;

namespace OneHop.IntegrationTests.Proxy.Tcp;

/// <summary>A span per TCP connection (<see cref="Core.Proxy.L4.L4ConnectionSpans"/>), read from a real OneHop's exporter.</summary>
[Collection(nameof(TraceListeners))]
public sealed class L4TracingTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.0)]
    public async Task A_sampled_tcp_connection_gets_one_span_with_its_route_and_pod_when_it_closes(double ratio)
    {
        await using var pod = TcpEchoPod.Start("echo-0");
        var exporter = new TracingTests.CollectingExporter();
        var file = Path.Combine(Path.GetTempPath(), $"onehop-access-{Guid.NewGuid():N}.log");
        try
        {
            var before = DateTime.UtcNow;
            await using (var onehop = await OneHopInstance.StartAsync(
                new Dictionary<string, string> { ["echo.yaml"] = Service("echo", pod.Port, pod.Ready()) },
                Cancel,
                L4Configs.Echo,
                configure: o => o with { Tracing = new TracingOptions(new Uri("http://127.0.0.1:1"), SampleRatio: ratio), TraceExporter = exporter, AccessLog = new AccessLogTarget(file) }))
            {
                using (var client = await TcpClientHelpers.ConnectAsync(onehop.Server.L4.EndPoints["echo"], Cancel))
                {
                    Assert.Equal("hello\n", await client.EchoAsync("hello\n", Cancel));
                    client.Shutdown(SocketShutdown.Send);
                    Assert.True(await client.ClosedWithinAsync(TimeSpan.FromSeconds(5), Cancel));
                }

                // The connection's access log line is written as it is removed, just before its span is made.
                await AccessLogTests.LinesAsync(file, 1);
            }

            // Disposing OneHop flushed its spans.
            if (ratio == 0)
            {
                Assert.Empty(exporter.Spans);
                return;
            }

            var span = Assert.Single(exporter.Spans);
            Assert.Equal(ActivityKind.Server, span.Kind);
            Assert.Equal("tcp echo", span.DisplayName);
            Assert.Equal(default, span.ParentSpanId);
            Assert.InRange(span.StartTimeUtc, before, DateTime.UtcNow);
            Assert.InRange(span.Duration, TimeSpan.Zero, TimeSpan.FromSeconds(10));
            Assert.Equal("tcp", span.GetTagItem("network.transport"));
            Assert.Equal("127.0.0.1", span.GetTagItem("client.address"));
            Assert.Equal("echo", span.GetTagItem("onehop.listener"));
            Assert.Equal("tcp/default/echo:80", span.GetTagItem("onehop.backend"));
            Assert.Equal("echo-0", span.GetTagItem("k8s.pod.name"));
            Assert.Equal(pod.Port, span.GetTagItem("server.port"));
            Assert.Equal(6L, span.GetTagItem("onehop.bytes_in"));
            Assert.Equal(6L, span.GetTagItem("onehop.bytes_out"));
            Assert.Equal("closed", span.GetTagItem("onehop.close"));
            Assert.NotNull(span.GetTagItem("onehop.route"));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
