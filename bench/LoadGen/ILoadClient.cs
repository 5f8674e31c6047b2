namespace LoadGen;

/// <summary>Sends the requests the dispatcher releases and reports each to the recorder.</summary>
internal interface ILoadClient : IAsyncDisposable
{
    /// <summary>Opens the connections before the schedule starts, so that set-up is not measured (unless per request).</summary>
    Task PrepareAsync();

    /// <summary>Request <paramref name="index"/> is due: send it now or queue it for the next free connection. Never blocks.</summary>
    void Dispatch(int index);
}
