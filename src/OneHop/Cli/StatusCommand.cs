using System.CommandLine;
using System.Net.Http.Json;
using OneHop.Core.Admin;
using OneHop.Core.Configuration;
using OneHop.Hosting;

namespace OneHop.Cli;

/// <summary>
/// <c>onehop status</c>: what a running OneHop routes, read from its admin API (<c>/api/topology</c>): routes → Services
/// → pods with their state and load, as a table, or the document itself with <c>--json</c>; <c>--watch</c> redraws
/// it until Ctrl+C.
/// </summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var admin = new Option<ListenAddress?>("--admin")
        {
            Description = $"The admin API of the OneHop instance to ask. [default: {ServerOptions.DefaultAdmin}]",
            HelpName = "ADDR:PORT",
            CustomParser = r => CliOptions.ParseAddresses(r) is [var a] ? a : null,
        };
        var watch = new Option<bool>("--watch") { Description = "Redraw every --interval until Ctrl+C." };
        var interval = new Option<string>("--interval")
        {
            Description = "How often --watch redraws. [default: 2s]",
            HelpName = "DURATION",
            DefaultValueFactory = _ => "2s",
        };
        var json = new Option<bool>("--json") { Description = "Print /api/topology's JSON document instead of the table." };
        var command = new Command("status", "Show a running OneHop's routes, Services and pods with their state and load (from its admin API).")
        {
            admin, watch, interval, json,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            if (!Durations.TryParse(result.GetValue(interval) ?? "2s", out var every) || every <= TimeSpan.Zero)
            {
                await error.WriteLineAsync($"onehop status: --interval {result.GetValue(interval)} is not a positive duration (e.g. 2s, 500ms)");
                return 2;
            }

            var address = result.GetValue(admin) ?? ServerOptions.DefaultAdmin;
            using var client = new HttpClient { BaseAddress = new Uri($"http://{address}"), Timeout = TimeSpan.FromSeconds(10) };
            do
            {
                string text;
                try
                {
                    text = result.GetValue(json)
                        ? await client.GetStringAsync("/api/topology", cancellationToken)
                        : StatusTable.Render(
                            await client.GetFromJsonAsync("/api/topology", AdminJsonContext.Default.TopologyDocument, cancellationToken)
                                ?? throw new InvalidDataException("the admin API answered null"),
                            address.ToString());
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidDataException or System.Text.Json.JsonException && !cancellationToken.IsCancellationRequested)
                {
                    await error.WriteLineAsync($"onehop status: cannot read http://{address}/api/topology: {e.Message}");
                    if (!result.GetValue(watch))
                    {
                        return 1;
                    }

                    text = string.Empty;
                }
                catch (OperationCanceledException)
                {
                    return 0;
                }

                if (result.GetValue(watch) && !Console.IsOutputRedirected)
                {
                    // Home and clear: the table redraws in place.
                    await output.WriteAsync("\e[H\e[2J");
                }

                await output.WriteAsync(text.EndsWith('\n') ? text : text + "\n");
                if (!result.GetValue(watch))
                {
                    return 0;
                }

                try
                {
                    await Task.Delay(every, TimeProvider.System, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return 0;
                }
            }
            while (true);
        });
        return command;
    }
}
