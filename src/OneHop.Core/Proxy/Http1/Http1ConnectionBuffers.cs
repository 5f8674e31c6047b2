using System.Buffers;

namespace OneHop.Core.Proxy.Http1;

/// <summary>
/// The read and write buffers of one upstream connection, kept by the connection for its whole life. The shared
/// array pool keeps few arrays of a size per core: with tens of exchanges waiting on their pods at once, each holding
/// the buffer its pending read rented, most rents missed and allocated 16 KiB that the pool then dropped (measured on
/// one core: 2.2 KB of garbage per request). A connection uses at most a read and a write buffer at a time, so two
/// or three blocks of its own serve it without allocating; larger requests go to the shared pool.
/// </summary>
internal sealed class Http1ConnectionBuffers(int blockSize) : MemoryPool<byte>
{
    private const int Kept = 3;
    private readonly Lock _lock = new();
    private readonly Stack<Block> _free = new(Kept);

    public override int MaxBufferSize => blockSize;

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        if (minBufferSize <= blockSize)
        {
            lock (_lock)
            {
                if (_free.TryPop(out var block))
                {
                    return block;
                }
            }

            return new Block(this, blockSize);
        }

        return new Block(null, minBufferSize);
    }

    protected override void Dispose(bool disposing)
    {
    }

    private void Return(Block block)
    {
        lock (_lock)
        {
            if (_free.Count < Kept)
            {
                _free.Push(block);
            }
        }
    }

    /// <summary>One block; back to its connection's stack when disposed (a larger one is left to the GC).</summary>
    private sealed class Block(Http1ConnectionBuffers? owner, int size) : IMemoryOwner<byte>
    {
        private readonly byte[] _array = GC.AllocateUninitializedArray<byte>(size);

        public Memory<byte> Memory => _array;

        public void Dispose() => owner?.Return(this);
    }
}
