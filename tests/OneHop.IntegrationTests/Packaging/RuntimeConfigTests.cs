using System.Text.Json.Nodes;

namespace OneHop.IntegrationTests.Packaging;

/// <summary>
/// The runtime settings <c>onehop</c> ships with, chosen by measurement (bench/PROFILE.md): a change to them should be
/// a decision with its own figures, not a side effect of editing the project file.
/// </summary>
public sealed class RuntimeConfigTests
{
    [Fact]
    public void Onehop_runs_the_workstation_gc_with_background_collections_and_tiered_pgo()
    {
        var properties = ConfigProperties();

        // Background GC: the non-concurrent one stopped a loaded proxy for 16-31 ms every ~36 s ("Garbage collections
        // under steady load"); the server GC's heap per core costs memory a one-process proxy does not need.
        Assert.True(properties["System.GC.Concurrent"]!.GetValue<bool>());
        Assert.False(properties["System.GC.Server"]!.GetValue<bool>());
        Assert.True(properties["System.Runtime.TieredPGO"]!.GetValue<bool>());
    }

    [Fact]
    public void Onehop_thread_pool_workers_sleep_without_spinning()
    {
        var properties = ConfigProperties();

        // The spin after each work item cost 14-18% of a new connection's CPU ("New connections and the thread pool").
        Assert.Equal(0, properties["System.Threading.ThreadPool.UnfairSemaphoreSpinLimit"]!.GetValue<int>());
    }

    private static JsonNode ConfigProperties()
    {
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "onehop.runtimeconfig.json")))!;
        return config["runtimeOptions"]!["configProperties"]!;
    }
}
