using System.Reflection;
using Microsoft.AspNetCore.Http;
using OneHop.Core.Configuration.Compression;
using OneHop.Core.Proxy.Http;
using OneHop.Core.Routing;
using OneHop.Core.Telemetry.AccessLog;

namespace OneHop.Core.Tests.Proxy.Http;

/// <summary>A connection's ProxyRequest serves its next request: the same object, with nothing of the request before.</summary>
public sealed class ProxyRequestTests
{
    [Fact]
    public void The_next_request_on_a_connection_gets_the_same_ProxyRequest_with_every_field_reset()
    {
        var connection = new ConnectionState();
        var first = ProxyRequest.For(connection.NextRequest());
        Fill(first);

        var nextContext = connection.NextRequest();
        var next = ProxyRequest.For(nextContext);

        Assert.Same(first, next);
        Assert.Same(nextContext, next.Context);
        AssertReset(next);
    }

    [Fact]
    public void A_released_request_forgets_its_context_and_state()
    {
        var request = ProxyRequest.For(new ConnectionState().NextRequest());
        Fill(request);

        request.Release();

        Assert.Null(request.Context);
        AssertReset(request);
    }

    [Fact]
    public void Requests_on_different_connections_or_without_connection_state_get_their_own()
    {
        var a = ProxyRequest.For(new ConnectionState().NextRequest());
        var b = ProxyRequest.For(new ConnectionState().NextRequest());
        var c = ProxyRequest.For(new DefaultHttpContext());

        Assert.NotSame(a, b);
        Assert.NotSame(a, c);
    }

    /// <summary>Every settable property and loop fields given a value, so that the reset is checked for each.</summary>
    private static void Fill(ProxyRequest request)
    {
        request.MayHoldBack = true;
        request.Retry = new RouteRetry(2, [503], TimeSpan.FromMilliseconds(10));
        request.HostBeforeRewrite = "client.example";
        request.ForwardedPrefix = "/api";
        request.SentBodyBytes = 10;
        request.ReceivedBodyBytes = 20;
        request.AccessRecord = new HttpAccessRecord();
        request.OriginalTarget = "/before";
        request.Loop.Attempt = 3;
        request.Loop.MaxAttempts = 3;
        request.Loop.Replayable = true;
        request.Loop.HeldBack = true;
        request.Loop.AttemptTimedOut = true;
        request.Loop.Started = 42;
        request.Loop.Backoff = TimeSpan.FromSeconds(1);
        request.Loop.CancellationToken = new CancellationToken(canceled: true);
        request.Loop.AttemptDeadline = new CancellationTokenSource();
        request.Loop.Tried = [null!];
        request.Compress(CompressionPolicy.Default);
        request.Coding!.Chosen = CompressionPolicy.Default.Codings[0];

        // A property added to ProxyRequest fails here until it is filled above (ErrorPages needs a live backend; the
        // reset clears it with the rest).
        var settable = typeof(ProxyRequest).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).Select(p => p.Name);
        Assert.Equal(settable.Except([nameof(ProxyRequest.ErrorPages)]).Order(), SetProperties(request).Order());
    }

    private static void AssertReset(ProxyRequest request)
    {
        Assert.Empty(SetProperties(request));

        // Kept for the connection's next compressed answer, without this one's policy or coding.
        Assert.True(request.Coding is null or { Policy: null, Chosen: null });
        foreach (var field in typeof(AttemptLoop).GetFields())
        {
            var value = field.GetValue(request.Loop);
            if (field.Name == nameof(AttemptLoop.Tried))
            {
                // Kept for the connection's next retry, empty.
                Assert.Empty((List<OneHop.Core.Health.Destination>)value!);
                continue;
            }

            var empty = field.FieldType.IsValueType ? Activator.CreateInstance(field.FieldType) : null;
            Assert.True(Equals(value, empty), $"AttemptLoop.{field.Name} kept {value}");
        }
    }

    /// <summary>The settable properties that do not have their type's default value.</summary>
    private static List<string> SetProperties(ProxyRequest request) =>
        [.. typeof(ProxyRequest).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite)
            .Where(p => !Equals(p.GetValue(request), p.PropertyType.IsValueType ? Activator.CreateInstance(p.PropertyType) : null))
            .Select(p => p.Name)];
}
