namespace OneHop.Core.Sources.Kubernetes;

/// <summary>
/// Keeps the API client's work off the socket engine's threads. With inline socket completions (OneHop's default,
/// <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c>) a read's continuation runs on the epoll thread that also
/// carries the data plane's sockets, and decoding a LIST of thousands of objects or a burst of watch events there
/// would hold up every connection of that thread. Each read of an API response body that completes outside the
/// thread pool continues on the pool. Neither KubernetesClient nor .NET offers this hop; it is a few lines.
/// </summary>
internal sealed class ThreadPoolReads : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!Thread.CurrentThread.IsThreadPoolThread)
        {
            await Task.Yield();
        }

        response.Content = new ThreadPoolReadContent(response.Content);
        return response;
    }
}
