using System.CommandLine;
using System.Globalization;
using OneHop.Core.Configuration;
using OneHop.Core.Demo;

namespace OneHop.Cli;

/// <summary>
/// <c>onehop pod</c> (hidden): runs demo pods in this process until stopped, for the tests that put pods in a
/// network namespace and for the benchmarks' slow or failing pods. Prints one "pod NAME listening on ADDR" line each.
/// </summary>
internal static class PodCommand
{
    public static Command Create()
    {
        var pods = new Option<string[]>("--pod")
        {
            Description = "A pod to run, NAME=ADDR:PORT (repeatable).",
            Arity = ArgumentArity.OneOrMore,
            Required = true,
        };
        var service = new Option<string>("--service") { Description = "Service name the pods report.", DefaultValueFactory = _ => "demo" };
        var zone = new Option<string?>("--zone") { Description = "Zone the pods report." };
        var delay = new Option<string?>("--delay") { Description = "Added to every answer, e.g. 10ms." };
        var failRate = new Option<double>("--fail-rate") { Description = "Share of requests answered 500 (0..1)." };
        var command = new Command("pod", "Run demo pods (for tests and benchmarks).") { pods, service, zone, delay, failRate };
        command.Hidden = true;
        command.SetAction(async (result, cancellationToken) =>
        {
            var output = result.InvocationConfiguration.Output;
            TimeSpan delayValue = default;
            if (result.GetValue(delay) is { } d && !Durations.TryParse(d, out delayValue))
            {
                result.InvocationConfiguration.Error.WriteLine($"onehop pod: --delay {d} is not a duration");
                return 2;
            }

            var started = new List<DemoPod>();
            try
            {
                foreach (var spec in result.GetValue(pods) ?? [])
                {
                    var (name, address) = (spec.Split('=')[0], ListenAddress.Parse(spec.Split('=')[1]));
                    var pod = await DemoPod.StartAsync(
                        new DemoPodOptions(name, result.GetValue(service)!, address.Address.ToString(), address.Port, Zone: result.GetValue(zone)),
                        cancellationToken);
                    pod.Behavior.Delay = delayValue;
                    pod.Behavior.FailureRate = result.GetValue(failRate);
                    started.Add(pod);
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pod {name} listening on {pod.Endpoint}"));
                }

                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                foreach (var pod in started)
                {
                    await pod.DisposeAsync();
                }
            }

            return 0;
        });
        return command;
    }
}
