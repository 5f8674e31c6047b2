using System.Text;
using System.Text.Json;
using OneHop.Core.Telemetry.AccessLog;

namespace OneHop.Core.Tests.Telemetry.AccessLog;

public sealed class AccessLogWriterTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_blocked_output_drops_and_counts_what_does_not_fit_and_never_blocks_the_caller()
    {
        var output = new BlockingStream();
        await using var writer = new AccessLogWriter(() => output, AccessLogFormat.Json, TimeProvider.System, capacity: 4);
        writer.Enqueue(Record("/first"));
        await output.Entered.WaitAsync(TimeSpan.FromSeconds(10), Cancel);

        // The writer holds the first line in a write that does not return: 4 more fit in the queue, 6 are dropped.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 10; i++)
        {
            writer.Enqueue(Record($"/{i}"));
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"enqueueing took {clock.Elapsed}");
        Assert.Equal(6, writer.Dropped);

        output.Release.SetResult();
        await WaitUntilAsync(() => writer.Written == 5);
        Assert.Equal(["/first", "/0", "/1", "/2", "/3"], output.Lines().Select(l => JsonDocument.Parse(l).RootElement.GetProperty("path").GetString()));
        Assert.Equal(6, writer.Status.Dropped);
    }

    [Fact]
    public async Task Reopen_starts_a_new_file_after_the_old_one_was_moved_away()
    {
        var directory = Directory.CreateTempSubdirectory("onehop-access-");
        try
        {
            var file = Path.Combine(directory.FullName, "access.log");
            await using var writer = new AccessLogWriter(new AccessLogTarget(file), AccessLogFormat.Json, TimeProvider.System);
            writer.Enqueue(Record("/before"));
            await WaitUntilAsync(() => writer.Written == 1);
            File.Move(file, file + ".1");

            writer.Reopen();
            writer.Enqueue(Record("/after"));
            await WaitUntilAsync(() => writer.Written == 2);

            Assert.Contains("\"/before\"", await File.ReadAllTextAsync(file + ".1", Cancel), StringComparison.Ordinal);
            var reopened = await File.ReadAllTextAsync(file, Cancel);
            Assert.Contains("\"/after\"", reopened, StringComparison.Ordinal);
            Assert.DoesNotContain("/before", reopened, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task An_output_that_cannot_be_opened_counts_lost_lines_and_reports_why()
    {
        await using var writer = new AccessLogWriter(new AccessLogTarget("/nonexistent-dir/access.log"), AccessLogFormat.Json, TimeProvider.System);
        writer.Enqueue(Record("/a"));
        writer.Enqueue(Record("/b"));
        await WaitUntilAsync(() => writer.Failed == 2);

        Assert.Equal(0, writer.Written);
        Assert.Contains("nonexistent-dir", writer.Status.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_text_format_is_logfmt_with_the_json_keys_and_quotes_what_needs_it()
    {
        var output = new MemoryStream();
        await using (var writer = new AccessLogWriter(() => output, AccessLogFormat.Text, TimeProvider.System))
        {
            var record = Record("/a b");
            record.UserAgent = "curl/8.5 \"quoted\"";
            record.Pod = "web-0";
            record.Attempts = 2;
            record.UpstreamStatus = 503;
            record.UpstreamTime = 0.0015;
            writer.Enqueue(record);
        }

        var line = Encoding.UTF8.GetString(output.ToArray());
        Assert.Equal(
            "time=2026-12-04T10:00:00.000000Z type=http method=GET host=www.example.com path=\"/a b\" protocol=HTTP/1.1 status=200 bytes_in=0 bytes_out=12 duration=0.25"
            + " pod=web-0 upstream_status=503 upstream_time=0.0015 attempts=2 user_agent=\"curl/8.5 \\\"quoted\\\"\"\n",
            line);
    }

    [Fact]
    public async Task The_json_format_leaves_out_what_is_unknown()
    {
        var output = new MemoryStream();
        await using (var writer = new AccessLogWriter(() => output, AccessLogFormat.Json, TimeProvider.System))
        {
            writer.Enqueue(Record("/"));
        }

        Assert.Equal(
            "{\"time\":\"2026-12-04T10:00:00Z\",\"type\":\"http\",\"method\":\"GET\",\"host\":\"www.example.com\",\"path\":\"/\",\"protocol\":\"HTTP/1.1\",\"status\":200,\"bytes_in\":0,\"bytes_out\":12,\"duration\":0.25}\n",
            Encoding.UTF8.GetString(output.ToArray()));
    }

    private static HttpAccessRecord Record(string path) => new()
    {
        Time = new DateTimeOffset(2026, 12, 4, 10, 0, 0, TimeSpan.Zero),
        Method = "GET",
        Host = "www.example.com",
        Path = path,
        Protocol = "HTTP/1.1",
        Status = 200,
        BytesOut = 12,
        Duration = 0.25,
    };

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(10, Cancel);
        }
    }

    /// <summary>An output whose first write waits until released: a disk that stopped answering.</summary>
    private sealed class BlockingStream : MemoryStream
    {
        private int _writes;

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public SemaphoreSlim Entered { get; } = new(0);

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _writes) == 1)
            {
                Entered.Release();
                await Release.Task;
            }

            await base.WriteAsync(buffer, cancellationToken);
        }

        public string[] Lines() => Encoding.UTF8.GetString(ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
