namespace OneHop.Core.Proxy.Epoll;

/// <summary>The errno to <see cref="AcceptStep"/> table.</summary>
internal static class AcceptSteps
{
    public static AcceptStep StepAfter(int errno) => errno switch
    {
        EpollNative.EAgain => AcceptStep.WaitForEdge,
        EpollNative.EIntr or 103 => AcceptStep.Retry,
        9 or 22 or 88 => AcceptStep.Stop,
        _ => AcceptStep.Pause,
    };
}
