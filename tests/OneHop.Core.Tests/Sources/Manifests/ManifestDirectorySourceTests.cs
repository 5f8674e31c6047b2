using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OneHop.Core.Diagnostics;
using OneHop.Core.Sources.Manifests;
using OneHop.Core.State;
using OneHop.Core.Tests.Support;

namespace OneHop.Core.Tests.Sources.Manifests;

public sealed class ManifestDirectorySourceTests : IDisposable
{
    private const string Web = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports: [{port: 80}]\n";
    private const string Api = "apiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  ports: [{port: 80}]\n";
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Loads_every_manifest_file_and_reports_nothing_for_good_input()
    {
        _dir.Write("web.yaml", Web);
        _dir.Write("api.yml", Api);
        _dir.Write("README.md", "not a manifest");
        var source = NewSource();

        Assert.True(source.Rescan());

        Assert.True(source.Current.Synced);
        Assert.Equal(["api", "web"], source.Current.State.Services.Keys.Select(k => k.Name).Order());
        Assert.Empty(source.Current.Diagnostics);
    }

    [Fact]
    public void A_broken_edit_keeps_the_files_last_good_objects_and_reports_the_error()
    {
        _dir.Write("web.yaml", Web);
        var source = NewSource();
        source.Rescan();
        var before = source.Current.State.Services[new ObjectKey("default", "web")];

        _dir.Write("web.yaml", Web.Replace("port: 80", "port: eighty", StringComparison.Ordinal));
        Assert.True(source.Rescan());

        Assert.Same(before, source.Current.State.Services[new ObjectKey("default", "web")]);
        Assert.Contains(source.Current.Diagnostics, d => d.Code == DiagnosticCodes.InvalidObject && d.Origin?.File == "web.yaml");
        Assert.Contains(source.Current.Diagnostics, d => d.Code == DiagnosticCodes.LastGoodKept);
    }

    [Fact]
    public void Fixing_the_file_clears_the_error()
    {
        _dir.Write("web.yaml", Web);
        var source = NewSource();
        source.Rescan();
        _dir.Write("web.yaml", "kind: [");
        source.Rescan();
        _dir.Write("web.yaml", Web.Replace("80", "81", StringComparison.Ordinal));
        source.Rescan();

        Assert.Empty(source.Current.Diagnostics);
        Assert.Equal(81, source.Current.State.Services[new ObjectKey("default", "web")].Spec.Ports[0].Port);
    }

    [Fact]
    public void Deleting_a_file_withdraws_its_objects()
    {
        _dir.Write("web.yaml", Web);
        var api = _dir.Write("api.yaml", Api);
        var source = NewSource();
        source.Rescan();

        File.Delete(api);

        Assert.True(source.Rescan());
        Assert.Equal(["web"], source.Current.State.Services.Keys.Select(k => k.Name));
    }

    [Fact]
    public void An_emptied_file_keeps_its_objects_until_it_is_written_again_or_deleted()
    {
        var web = _dir.Write("web.yaml", Web);
        var source = NewSource();
        source.Rescan();
        var before = source.Current.State.Services[new ObjectKey("default", "web")];

        // Truncated, as a save in place does before it writes.
        File.WriteAllText(web, string.Empty);
        Assert.True(source.Rescan());
        Assert.Same(before, source.Current.State.Services[new ObjectKey("default", "web")]);
        var error = Assert.Single(source.Current.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal(DiagnosticCodes.FileEmptied, error.Code);
        Assert.Equal("web.yaml", error.Origin?.File);

        _dir.Write("web.yaml", Web.Replace("80", "81", StringComparison.Ordinal));
        source.Rescan();
        Assert.Empty(source.Current.Diagnostics);
        Assert.Equal(81, source.Current.State.Services[new ObjectKey("default", "web")].Spec.Ports[0].Port);

        File.WriteAllText(web, "\n");
        source.Rescan();
        File.Delete(web);
        source.Rescan();
        Assert.Empty(source.Current.State.Services);
        Assert.Empty(source.Current.Diagnostics);
    }

    [Fact]
    public void A_file_that_was_always_empty_is_no_error()
    {
        _dir.Write("empty.yaml", string.Empty);
        var source = NewSource();

        source.Rescan();

        Assert.Empty(source.Current.Diagnostics);
    }

    [Fact]
    public void A_file_replaced_by_rename_is_read_again()
    {
        var web = _dir.Write("web.yaml", Web);
        var source = NewSource();
        source.Rescan();

        var temp = _dir.Write(".web.yaml.tmp", Web.Replace("80", "8080", StringComparison.Ordinal));
        File.Move(temp, web, overwrite: true);

        Assert.True(source.Rescan());
        Assert.Equal(8080, source.Current.State.Services[new ObjectKey("default", "web")].Spec.Ports[0].Port);
    }

    [Theory]
    [InlineData("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: tcp-services}\ndata: {\"9000\": \"default/db:5432\"}\n")]
    [InlineData("apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: edge}\nspec: {gatewayClassName: onehop, listeners: [{name: http, port: 80, protocol: HTTP}]}\n")]
    public void An_edit_of_any_kind_is_a_change(string manifest)
    {
        // Regression: ConfigMaps and the Gateway API kinds were left out of the comparison, so an edit that kept the
        // object count went unnoticed until another file changed.
        _dir.Write("one.yaml", manifest);
        var source = NewSource();
        source.Rescan();

        _dir.Write("one.yaml", manifest.Replace("9000", "9001", StringComparison.Ordinal).Replace("port: 80", "port: 8080", StringComparison.Ordinal));

        Assert.True(source.Rescan());
    }

    [Fact]
    public void Nothing_changed_means_no_new_snapshot()
    {
        _dir.Write("web.yaml", Web);
        var source = NewSource();
        source.Rescan();
        var first = source.Current;

        Assert.False(source.Rescan());
        Assert.Same(first, source.Current);
    }

    [Fact]
    public void A_vanished_directory_keeps_every_object()
    {
        var root = Path.Combine(_dir.Path, "manifests");
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, "web.yaml"), Web);
        var source = new ManifestDirectorySource(root, new ManifestSourceOptions(), _time, NullLogger<ManifestDirectorySource>.Instance);
        source.Rescan();

        Directory.Delete(root, recursive: true);
        source.Rescan();

        Assert.Single(source.Current.State.Services);
        Assert.Contains(source.Current.Diagnostics, d => d.Code == DiagnosticCodes.FileUnreadable);
    }

    [Fact]
    public void Symlinked_files_are_followed_like_configmap_mounts()
    {
        var data = Path.Combine(_dir.Path, "..2026_01_01");
        Directory.CreateDirectory(data);
        File.WriteAllText(Path.Combine(data, "web.yaml"), Web);
        File.CreateSymbolicLink(Path.Combine(_dir.Path, "web.yaml"), Path.Combine(data, "web.yaml"));
        var source = NewSource();

        source.Rescan();

        Assert.Single(source.Current.State.Services);
    }

    [Fact]
    public void Objects_remember_their_file_and_document()
    {
        _dir.Write("web.yaml", "---\n" + Web + "---\n" + Api);
        var source = NewSource();
        source.Rescan();

        var origin = source.Current.State.OriginOf(new ObjectRef(KubeKinds.Service, "default", "api"));
        Assert.Equal(("web.yaml", 2), (origin.File, origin.Document));
    }

    [Fact]
    public async Task RunAsync_picks_up_a_change_through_the_file_watcher()
    {
        _dir.Write("web.yaml", Web);
        var source = new ManifestDirectorySource(
            _dir.Path,
            new ManifestSourceOptions { Debounce = TimeSpan.FromMilliseconds(10), PollInterval = TimeSpan.FromHours(1) },
            TimeProvider.System,
            NullLogger<ManifestDirectorySource>.Instance);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cancel.CancelAfter(TimeSpan.FromSeconds(20));
        var changes = 0;
        var changed = new SemaphoreSlim(0);
        var running = source.RunAsync(() => { Interlocked.Increment(ref changes); changed.Release(); }, cancel.Token);
        await changed.WaitAsync(cancel.Token);

        _dir.Write("api.yaml", Api);

        // The watcher may report the new file before its content is written (created, then changed): wait for the
        // change that has it; a watcher that missed it would leave this waiting until the 20 s cancel.
        while (source.Current.State.Services.Count < 2)
        {
            await changed.WaitAsync(cancel.Token);
        }

        Assert.Equal(2, source.Current.State.Services.Count);
        await cancel.CancelAsync();

        // It ends once canceled: by OperationCanceledException, or by returning when the cancel fell between two waits
        // (the snapshot coordinator takes both); one still running after 10 s fails with a TimeoutException.
        try
        {
            await running.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    [Fact]
    public void A_file_over_the_size_limit_is_not_read_and_its_last_good_version_stays()
    {
        _dir.Write("web.yaml", Web);
        var source = NewSource(new ManifestSourceOptions { MaxFileSize = 4096 });
        source.Rescan();
        var before = source.Current.State.Services[new ObjectKey("default", "web")];

        _dir.Write("web.yaml", Web + "---\n" + string.Concat(Enumerable.Repeat(Api + "---\n", 100)));
        Assert.True(source.Rescan());

        Assert.Same(before, source.Current.State.Services[new ObjectKey("default", "web")]);
        var error = Assert.Single(source.Current.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal(DiagnosticCodes.TooLarge, error.Code);
        Assert.Equal("web.yaml", error.Origin?.File);
        Assert.Contains("MiB OneHop reads from one manifest file", error.Message, StringComparison.Ordinal);
        Assert.Contains(source.Current.Diagnostics, d => d.Code == DiagnosticCodes.LastGoodKept);
    }

    private ManifestDirectorySource NewSource(ManifestSourceOptions? options = null) =>
        new(_dir.Path, options ?? new ManifestSourceOptions(), _time, NullLogger<ManifestDirectorySource>.Instance);
}
