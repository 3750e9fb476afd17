using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace P2PShare.Peer.Storage;

/// <summary>
/// Writes block-aligned chunks of a partial file past the page cache (O_DIRECT, Linux only). A buffered write copies
/// every byte into freshly allocated page-cache pages, which on a small or virtualised machine costs more CPU than
/// decrypting and hashing the chunk together; a direct write hands the disk the caller's bytes where they already sit
/// on an aligned address (received chunks do, see PayloadBuffer), else a copy in one of a few reused, aligned
/// buffers. Where the file system refuses direct I/O the writer is not created, or turns itself off at the first
/// refused write, and the caller writes through the page cache as before.
/// </summary>
internal sealed class DirectChunkWriter : IDisposable
{
    /// <summary>Offsets, lengths and buffer addresses are multiples of this (the largest logical block size in use).</summary>
    public const int DefaultAlignment = 4096;

    private const int FGetFl = 3;
    private const int FSetFl = 4;
    private const int Einval = 22;
    private const int Eopnotsupp = 95;

    private readonly SafeFileHandle _handle;
    private readonly int _alignment;
    private readonly ConcurrentBag<byte[]> _buffers = [];
    private volatile bool _enabled = true;

    private DirectChunkWriter(SafeFileHandle handle, int alignment)
    {
        _handle = handle;
        _alignment = alignment;
    }

    /// <summary>False once the file system refused a direct write; every write then goes through the page cache.</summary>
    public bool IsEnabled => _enabled;

    /// <summary>A direct writer for the existing file at <paramref name="path"/>, or null where direct I/O is not available.</summary>
    public static DirectChunkWriter? TryOpen(string path, int alignment = DefaultAlignment)
    {
        if (!OperatingSystem.IsLinux() || OpenDirectFlag() is not { } directFlag)
        {
            return null;
        }

        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null; // the caller's own handle is what counts; without a second one, writes go through the page cache
        }

        int fd = (int)handle.DangerousGetHandle();
        int flags = Fcntl(fd, FGetFl, 0);
        if (flags < 0 || Fcntl(fd, FSetFl, flags | directFlag) < 0)
        {
            handle.Dispose();
            return null;
        }

        return new DirectChunkWriter(handle, alignment);
    }

    /// <summary>
    /// Writes <paramref name="data"/> at <paramref name="offset"/> past the page cache. Returns false, having written
    /// nothing, when the write is not aligned or the file system refuses direct I/O (EINVAL, EOPNOTSUPP); other I/O
    /// errors (a full disk, say) throw.
    /// </summary>
    public async ValueTask<bool> TryWriteAsync(ReadOnlyMemory<byte> data, long offset, CancellationToken cancellationToken)
    {
        if (!_enabled || offset % _alignment != 0 || data.Length % _alignment != 0 || data.IsEmpty)
        {
            return false;
        }

        using var pin = data.Pin(); // keeps the address checked below until the write is done
        if (IsAligned(data))
        {
            return await WriteAsync(data, offset, cancellationToken).ConfigureAwait(false);
        }

        byte[] buffer = RentBuffer(data.Length);
        try
        {
            var aligned = AlignedSlice(buffer, data.Length);
            data.CopyTo(aligned);
            return await WriteAsync(aligned, offset, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _buffers.Add(buffer);
        }
    }

    private async ValueTask<bool> WriteAsync(ReadOnlyMemory<byte> aligned, long offset, CancellationToken cancellationToken)
    {
        try
        {
            await RandomAccess.WriteAsync(_handle, aligned, offset, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (IOException ex) when (ex.HResult is Einval or Eopnotsupp)
        {
            _enabled = false; // the file system wants another alignment, or no direct I/O at all
            return false;
        }
    }

    /// <summary>True when pinned, array-backed <paramref name="data"/> starts on an aligned address (received chunks do).</summary>
    private bool IsAligned(ReadOnlyMemory<byte> data) =>
        MemoryMarshal.TryGetArray(data, out var segment) && segment.Array is { } array
        && Marshal.UnsafeAddrOfPinnedArrayElement(array, segment.Offset) % _alignment == 0;

    public void Dispose() => _handle.Dispose();

    /// <summary>A pinned buffer with room for <paramref name="length"/> bytes at an aligned address; reused across writes.</summary>
    private byte[] RentBuffer(int length)
    {
        while (_buffers.TryTake(out var buffer))
        {
            if (buffer.Length >= length + _alignment)
            {
                return buffer;
            }
        }

        return GC.AllocateUninitializedArray<byte>(length + _alignment, pinned: true);
    }

    private Memory<byte> AlignedSlice(byte[] pinned, int length)
    {
        long address = Marshal.UnsafeAddrOfPinnedArrayElement(pinned, 0);
        int skip = (int)((_alignment - (address % _alignment)) % _alignment);
        return pinned.AsMemory(skip, length);
    }

    /// <summary>O_DIRECT's value on this architecture, or null where it is not known.</summary>
    private static int? OpenDirectFlag() => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 or Architecture.X86 => 0x4000,
        Architecture.Arm64 or Architecture.Arm => 0x10000,
        _ => null,
    };

    private static int Fcntl(int fd, int command, int argument)
    {
        try
        {
            return NativeMethods.fcntl(fd, command, argument);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return -1;
        }
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true)]
        public static extern int fcntl(int fd, int cmd, int arg);
    }
}
