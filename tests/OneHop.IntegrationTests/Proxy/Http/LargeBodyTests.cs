using System.Net;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Proxy.Http;

/// <summary>Bodies are streamed both ways: a gigabyte through OneHop costs it no more memory than a kilobyte.</summary>
public sealed class LargeBodyTests
{
    private const long GiB = 1L << 30;
    private const long MiB = 1L << 20;

    [Fact]
    public async Task A_1_GiB_upload_and_download_stream_through_with_bounded_rss()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pods = await TestPods.StartAsync("files", 1, ct);
        var directory = Directory.CreateTempSubdirectory("onehop-large-");
        try
        {
            var manifests = Directory.CreateDirectory(Path.Combine(directory.FullName, "manifests")).FullName;
            await File.WriteAllTextAsync(Path.Combine(manifests, "files.yaml"), Yaml.DefaultClass + Yaml.Service("files", pods) + Yaml.Ingress("files", "/", "files"), ct);
            var config = Path.Combine(directory.FullName, "onehop.yaml");
            await File.WriteAllTextAsync(config, "limits:\n  maxRequestBodySize: 2GiB\n", ct);
            await using var onehop = await OneHopProcess.StartAsync(manifests, config, ct);
            using var client = new HttpClient { BaseAddress = onehop.Proxy, Timeout = TimeSpan.FromMinutes(2) };

            // Warm up (JIT, pools, connections), then measure the peak from here on.
            await UploadAsync(client, 8 * MiB, ct);
            await DownloadAsync(client, 8 * MiB, ct);
            var before = onehop.Memory("VmRSS");
            onehop.ResetPeak();
            var uploaded = await UploadAsync(client, GiB, ct);
            var downloaded = await DownloadAsync(client, GiB, ct);
            var peak = onehop.Memory("VmHWM");
            TestContext.Current.SendDiagnosticMessage($"onehop RSS before {before / MiB} MiB, peak during 2 GiB of transfers {peak / MiB} MiB");

            Assert.Equal($"received {GiB}\n", uploaded);
            Assert.Equal(GiB, downloaded);
            Assert.True(peak - before < 64 * MiB, $"RSS grew by {(peak - before) / MiB} MiB (from {before / MiB} MiB to {peak / MiB} MiB) while streaming");
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static async Task<string> UploadAsync(HttpClient client, long size, CancellationToken ct)
    {
        using var response = await client.PostAsync("/upload", new GeneratedContent(size), ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync(ct);
    }

    private static async Task<long> DownloadAsync(HttpClient client, long size, CancellationToken ct)
    {
        using var response = await client.GetAsync($"/download?bytes={size}", HttpCompletionOption.ResponseHeadersRead, ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, ct)) > 0)
        {
            total += read;
        }

        return total;
    }

    /// <summary>A request body of <c>size</c> bytes written from one small buffer, with its Content-Length.</summary>
    private sealed class GeneratedContent(long size) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var chunk = new byte[81920];
            for (var left = size; left > 0; left -= chunk.Length)
            {
                await stream.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, left)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = size;
            return true;
        }
    }
}
