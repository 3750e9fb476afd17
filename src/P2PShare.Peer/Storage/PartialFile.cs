using Microsoft.Win32.SafeHandles;
using P2PShare.Core.Chunking;

namespace P2PShare.Peer.Storage;

/// <summary>
/// A download in progress: <c>DATA_DIR/.p2pshare/partial/&lt;id&gt;.part</c>, sized to the whole file up front and
/// written chunk by chunk with positional I/O, past the page cache where it can (<see cref="DirectChunkWriter"/>). A
/// write is not durable until <see cref="FlushToDisk"/>; the caller (<see cref="DownloadTarget"/>) flushes before it
/// records a chunk as verified.
/// </summary>
internal sealed class PartialFile : IAsyncDisposable
{
    private readonly SafeFileHandle _handle;
    private readonly DirectChunkWriter? _direct;
    private readonly FileFlush _flush;

    private PartialFile(string path, SafeFileHandle handle, ChunkLayout layout, FileFlush? flush)
    {
        Path = path;
        _handle = handle;
        Layout = layout;
        _flush = flush ?? RandomAccess.FlushToDisk;
        _direct = DirectChunkWriter.TryOpen(path);
    }

    /// <summary>Where the file is now (it changes after <see cref="MoveTo"/>).</summary>
    public string Path { get; private set; }

    /// <summary>False once <see cref="MoveTo"/> has closed the file.</summary>
    public bool IsOpen => !_handle.IsClosed;

    public ChunkLayout Layout { get; }

    /// <summary>
    /// Creates the file (it must not exist) with its space reserved where the file system supports it, so a disk
    /// that is too small fails here rather than half-way through.
    /// </summary>
    /// <param name="flush">How writes are made durable; fsync when null.</param>
    /// <exception cref="IOException">The file exists or the disk is full.</exception>
    public static PartialFile Create(string path, long size, FileFlush? flush = null)
    {
        var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, FileOptions.None, preallocationSize: size);
        try
        {
            RandomAccess.SetLength(handle, size);
            return new PartialFile(path, handle, new ChunkLayout(size), flush);
        }
        catch
        {
            handle.Dispose();
            File.Delete(path);
            throw;
        }
    }

    /// <summary>Opens an existing partial file; returns null with the reason when it is missing or not <paramref name="size"/> bytes long.</summary>
    public static PartialFile? OpenExisting(string path, long size, out string? problem, FileFlush? flush = null)
    {
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        }
        catch (FileNotFoundException)
        {
            problem = $"{path} is missing";
            return null;
        }

        long length = RandomAccess.GetLength(handle);
        if (length != size)
        {
            handle.Dispose();
            problem = $"{path} is {length} bytes, expected {size}";
            return null;
        }

        problem = null;
        return new PartialFile(path, handle, new ChunkLayout(size), flush);
    }

    /// <summary>Writes chunk <paramref name="index"/>; <paramref name="data"/> must be exactly that chunk's length.</summary>
    public async ValueTask WriteChunkAsync(int index, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        int length = Layout.LengthOf(index);
        if (data.Length != length)
        {
            throw new ArgumentException($"chunk {index} is {length} bytes, got {data.Length}", nameof(data));
        }

        long offset = Layout.OffsetOf(index);
        if (_direct is null || !await _direct.TryWriteAsync(data, offset, cancellationToken).ConfigureAwait(false))
        {
            await RandomAccess.WriteAsync(_handle, data, offset, cancellationToken).ConfigureAwait(false); // a short last chunk, or no direct I/O
        }
    }

    /// <summary>True while whole chunks bypass the page cache.</summary>
    public bool WritesDirect => _direct is { IsEnabled: true };

    /// <summary>Reads chunk <paramref name="index"/> into the start of <paramref name="buffer"/> and returns its length.</summary>
    /// <exception cref="IOException">The file is shorter than it should be.</exception>
    public async ValueTask<int> ReadChunkAsync(int index, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        int length = Layout.LengthOf(index);
        await ReadExactlyAsync(_handle, buffer[..length], Layout.OffsetOf(index), cancellationToken).ConfigureAwait(false);
        return length;
    }

    /// <summary>Makes every write so far durable (fsync, or the <see cref="FileFlush"/> given at open).</summary>
    /// <exception cref="IOException">The disk did not take the bytes; none of them may be counted as durable.</exception>
    public void FlushToDisk() => _flush(_handle);

    /// <summary>
    /// Flushes and closes the file (first call only), then moves it to <paramref name="destination"/>: one rename on
    /// the same file system, never overwriting. On failure the file stays where it was, closed.
    /// </summary>
    /// <exception cref="IOException"><paramref name="destination"/> exists, or the move failed.</exception>
    public void MoveTo(string destination)
    {
        if (IsOpen)
        {
            FlushToDisk();
            _direct?.Dispose();
            _handle.Dispose();
        }

        File.Move(Path, destination, overwrite: false);
        Path = destination;
    }

    public ValueTask DisposeAsync()
    {
        _direct?.Dispose();
        _handle.Dispose();
        return ValueTask.CompletedTask;
    }

    internal static async ValueTask ReadExactlyAsync(SafeFileHandle handle, Memory<byte> target, long offset, CancellationToken cancellationToken)
    {
        while (!target.IsEmpty)
        {
            int read = await RandomAccess.ReadAsync(handle, target, offset, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException($"file ends early at offset {offset}");
            }

            target = target[read..];
            offset += read;
        }
    }
}
