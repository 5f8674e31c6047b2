using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;

namespace OneHop.Core.Tests.Support;

/// <summary>A response body feature over a pipe's writer, standing in for Kestrel's in tests of the bodies OneHop puts in front of it.</summary>
internal sealed class PipeResponseBody(PipeWriter writer) : IHttpResponseBodyFeature
{
    public Stream Stream => throw new NotSupportedException();

    public PipeWriter Writer => writer;

    public Task CompleteAsync() => writer.CompleteAsync().AsTask();

    public void DisableBuffering()
    {
    }

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task StartAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;
}
