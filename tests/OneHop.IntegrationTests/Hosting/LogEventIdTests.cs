using System.Reflection;
using Microsoft.Extensions.Logging;

namespace OneHop.IntegrationTests.Hosting;

/// <summary>
/// Event ids are unique across the whole program, the host included (OneHop.Core's own test sees only its assembly):
/// operators filter and alert on them (docs/operations.md, "Log events").
/// </summary>
public sealed class LogEventIdTests
{
    [Fact]
    public void Event_ids_are_unique_across_the_host_and_the_core()
    {
        var ids = new[] { typeof(OneHop.Hosting.ServerOptions).Assembly, typeof(OneHop.Core.Routing.Translator).Assembly }
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(m => m.Attribute is not null)
            .Select(m => (Id: m.Attribute!.EventId, Name: $"{m.Method.DeclaringType!.DeclaringType?.Name}.{m.Method.Name}"))
            .ToList();

        Assert.Contains(ids, i => i.Name == "GatewayEndpoints.Binding");
        Assert.Empty(ids.GroupBy(i => i.Id).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(i => i.Name))}"));
    }
}
