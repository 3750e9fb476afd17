using Microsoft.Win32.SafeHandles;

namespace P2PShare.Core.Chunking;

/// <summary>
/// Reads single chunks of a file with positional I/O, so any number of threads can share one handle
/// and the file is never held in memory.
/// </summary>
public sealed class ChunkFileReader : IDisposable
{
    private readonly SafeFileHandle _handle;

    private ChunkFileReader(SafeFileHandle handle, ChunkLayout layout)
    {
        _handle = handle;
        Layout = layout;
    }

    public ChunkLayout Layout { get; }

    public static ChunkFileReader Open(string path, int chunkSize = ChunkLayout.DefaultChunkSize)
    {
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
        try
        {
            return new ChunkFileReader(handle, new ChunkLayout(RandomAccess.GetLength(handle), chunkSize));
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Reads chunk <paramref name="index"/> into the start of <paramref name="buffer"/> and returns its length.</summary>
    /// <exception cref="IOException">The file became shorter than it was when opened.</exception>
    public int ReadChunk(int index, Span<byte> buffer)
    {
        int length = Layout.LengthOf(index);
        long offset = Layout.OffsetOf(index);
        var target = buffer[..length];
        while (!target.IsEmpty)
        {
            int read = RandomAccess.Read(_handle, target, offset);
            if (read == 0)
            {
                throw new IOException($"file shrank while being read: chunk {index} ends early at offset {offset}");
            }

            target = target[read..];
            offset += read;
        }

        return length;
    }

    public void Dispose() => _handle.Dispose();
}
