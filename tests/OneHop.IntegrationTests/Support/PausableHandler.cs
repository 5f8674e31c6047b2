namespace OneHop.IntegrationTests.Support;

/// <summary>
/// A client-side handler that freezes one OneHop replica's view of the API server while paused: new requests wait, and
/// open watch streams stop delivering events. A paused replica neither sees changes nor renews its Leases, like a
/// replica that lags or has died, and catches up when resumed.
/// </summary>
internal sealed class PausableHandler : DelegatingHandler
{
    private volatile TaskCompletionSource _resumed = Completed();

    public void Pause() => _resumed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Resume() => _resumed.TrySetResult();

    private Task WhileResumed(CancellationToken cancellationToken) => _resumed.Task.WaitAsync(cancellationToken);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await WhileResumed(cancellationToken);
        var response = await base.SendAsync(request, cancellationToken);
        if (request.RequestUri?.Query.Contains("watch=true", StringComparison.Ordinal) == true)
        {
            var inner = response.Content;
            var content = new StreamContent(new Gated(await inner.ReadAsStreamAsync(cancellationToken), this));
            foreach (var header in inner.Headers)
            {
                content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            response.Content = content;
        }

        return response;
    }

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource();
        done.SetResult();
        return done;
    }

    /// <summary>A watch stream whose reads wait while the handler is paused.</summary>
    private sealed class Gated(Stream inner, PausableHandler handler) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await handler.WhileResumed(cancellationToken);
            var read = await inner.ReadAsync(buffer, cancellationToken);

            // Bytes read just before a pause are held back until the resume, so no event slips through.
            await handler.WhileResumed(cancellationToken);
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
