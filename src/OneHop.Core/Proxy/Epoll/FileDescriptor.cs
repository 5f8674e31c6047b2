using Microsoft.Win32.SafeHandles;

namespace OneHop.Core.Proxy.Epoll;

/// <summary>
/// A socket descriptor the epoll transport owns. A SafeHandle because a descriptor closed while another thread is
/// about to use it could be reused by the next accept: every native call adds a reference, and <c>close</c> runs only
/// once the last call has returned.
/// </summary>
internal sealed class FileDescriptor : SafeHandleMinusOneIsInvalid
{
    public FileDescriptor()
        : base(ownsHandle: true)
    {
    }

    public FileDescriptor(int fd)
        : base(ownsHandle: true) => SetHandle(fd);

    public int Value => (int)handle;

    protected override bool ReleaseHandle() => EpollNative.Close((int)handle) == 0;
}
