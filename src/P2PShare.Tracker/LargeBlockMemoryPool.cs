using System.Buffers;
using Microsoft.AspNetCore.Connections;

namespace P2PShare.Tracker;

/// <summary>
/// The memory Kestrel's connections read into and write from. Kestrel's own pool hands out 4 KiB blocks, and its
/// socket transport receives into one block at a time, so a relay tunnel moving hundreds of MB/s cost one receive
/// system call per 4 KiB; with 64 KiB blocks a busy socket is read in 64 KiB. The blocks come from
/// <see cref="ArrayPool{T}.Shared"/> (bounded, shared with the rest of the process) and an idle connection holds
/// none: the transport waits for data before it asks for a block.
/// </summary>
internal sealed class LargeBlockMemoryPool : MemoryPool<byte>
{
    public const int BlockBytes = 64 * 1024;

    public override int MaxBufferSize => BlockBytes;

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1) => new Block(ArrayPool<byte>.Shared.Rent(Math.Max(minBufferSize, BlockBytes)));

    protected override void Dispose(bool disposing)
    {
    }

    private sealed class Block(byte[] array) : IMemoryOwner<byte>
    {
        private byte[]? _array = array;

        public Memory<byte> Memory => _array ?? throw new ObjectDisposedException(nameof(Block));

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _array, null) is { } returned)
            {
                ArrayPool<byte>.Shared.Return(returned);
            }
        }
    }

    /// <summary>Registered in place of Kestrel's factory, so every transport pool is a <see cref="LargeBlockMemoryPool"/>.</summary>
    internal sealed class Factory : IMemoryPoolFactory<byte>
    {
        public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new LargeBlockMemoryPool();
    }
}
