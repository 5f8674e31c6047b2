using System.Reflection;
using Microsoft.Extensions.Logging;

namespace OneHop.Core.Tests;

/// <summary>Every log message has its own event id, so operators can filter and alert on one (ranges per class, docs/operations.md).</summary>
public sealed class LogEventTests
{
    [Fact]
    public void Event_ids_are_unique_across_OneHop()
    {
        var ids = typeof(OneHop.Core.Routing.Translator).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(m => m.Attribute is not null)
            .Select(m => (Id: m.Attribute!.EventId, Name: $"{m.Method.DeclaringType!.DeclaringType?.Name}.{m.Method.Name}"))
            .ToList();

        Assert.NotEmpty(ids);
        Assert.Empty(ids.GroupBy(i => i.Id).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(i => i.Name))}"));
    }
}
