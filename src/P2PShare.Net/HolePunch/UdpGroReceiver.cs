using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace P2PShare.Net.HolePunch;

/// <summary>
/// Linux UDP generic receive offload (UDP_GRO): the kernel hands over a run of equal-size datagrams from one sender
/// in one recvmsg and names the segment size in a control message, so a bulk flow costs one system call per up
/// to 64 KiB instead of one per datagram. .NET exposes neither the option's control message nor recvmmsg, hence
/// the recvmsg call here; <see cref="TryCreate"/> returns null wherever the kernel or platform lacks it.
/// </summary>
internal sealed class UdpGroReceiver
{
    private const int SolUdp = 17;
    private const int UdpGro = 104;
    private const int MsgDontWait = 0x40;
    private const int EAgain = 11;
    private const int EIntr = 4;
    private const int ControlSize = 64;
    private static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(250);

    private readonly Socket _socket;
    private readonly byte[] _data;
    private readonly byte[] _name = GC.AllocateArray<byte>(128, pinned: true);
    private readonly byte[] _control = GC.AllocateArray<byte>(ControlSize, pinned: true);
    private readonly IoVec[] _iov;

    private UdpGroReceiver(Socket socket, int bufferSize)
    {
        _socket = socket;
        _data = GC.AllocateArray<byte>(bufferSize, pinned: true);
        _iov = GC.AllocateArray<IoVec>(1, pinned: true);
        _iov[0] = new IoVec { Base = Marshal.UnsafeAddrOfPinnedArrayElement(_data, 0), Length = (nuint)bufferSize };
    }

    /// <summary>Turns on UDP_GRO for <paramref name="socket"/>; null (and the socket unchanged) where that fails.</summary>
    public static UdpGroReceiver? TryCreate(Socket socket, int bufferSize)
    {
        if (!OperatingSystem.IsLinux() || !Environment.Is64BitProcess || !BitConverter.IsLittleEndian)
        {
            return null;
        }

        try
        {
            socket.SetRawSocketOption(SolUdp, UdpGro, BitConverter.GetBytes(1));
            return new UdpGroReceiver(socket, bufferSize);
        }
        catch (Exception e) when (e is SocketException or PlatformNotSupportedException)
        {
            return null;
        }
    }

    /// <summary>The bytes of the last receive (one datagram, or several of <c>segmentSize</c> each but the last).</summary>
    public ReadOnlySpan<byte> Data(int length) => _data.AsSpan(0, length);

    /// <summary>
    /// Waits for the next datagram or run of datagrams; returns its length (0 after a transient error, to be called
    /// again), the segment size (the whole length when the kernel merged nothing) and the sender's address in
    /// <paramref name="from"/>. Throws ObjectDisposedException once the socket is closed.
    /// </summary>
    public int Receive(SocketAddress from, out int segmentSize)
    {
        segmentSize = 0;
        var handle = _socket.SafeHandle;
        var added = false;
        long result;
        int errno;
        var header = new MsgHdr
        {
            Name = Marshal.UnsafeAddrOfPinnedArrayElement(_name, 0),
            NameLength = (uint)_name.Length,
            Iov = Marshal.UnsafeAddrOfPinnedArrayElement(_iov, 0),
            IovLength = 1,
            Control = Marshal.UnsafeAddrOfPinnedArrayElement(_control, 0),
            ControlLength = ControlSize,
        };
        try
        {
            handle.DangerousAddRef(ref added);
            result = NativeMethods.recvmsg(handle.DangerousGetHandle(), ref header, MsgDontWait);
            errno = result < 0 ? Marshal.GetLastPInvokeError() : 0;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }

        if (result < 0)
        {
            if (errno == EAgain)
            {
                _socket.Poll(IdlePoll, SelectMode.SelectRead); // blocks until readable; throws once disposed
            }
            else if (errno != EIntr)
            {
                ObjectDisposedException.ThrowIf(handle.IsClosed, _socket);
            }

            return 0; // EINTR, or an ICMP error reported for an earlier send
        }

        var length = (int)result;
        var nameLength = (int)Math.Min(header.NameLength, (uint)Math.Min(_name.Length, from.Buffer.Length));
        _name.AsSpan(0, nameLength).CopyTo(from.Buffer.Span);
        from.Size = nameLength;
        segmentSize = SegmentSize((int)header.ControlLength) is var size and > 0 ? size : length;
        return length;
    }

    /// <summary>The UDP_GRO control message's segment size, or 0 if there is none.</summary>
    private int SegmentSize(int controlLength)
    {
        var control = _control.AsSpan(0, Math.Min(controlLength, ControlSize));
        var at = 0;
        while (at + 20 <= control.Length)
        {
            var length = (int)BinaryPrimitives.ReadUInt64LittleEndian(control[at..]);
            var level = BinaryPrimitives.ReadInt32LittleEndian(control[(at + 8)..]);
            var type = BinaryPrimitives.ReadInt32LittleEndian(control[(at + 12)..]);
            if (length < 16)
            {
                return 0;
            }

            if (level == SolUdp && type == UdpGro)
            {
                return BinaryPrimitives.ReadInt32LittleEndian(control[(at + 16)..]);
            }

            at += (length + 7) & ~7;
        }

        return 0;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct IoVec
    {
        public nint Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MsgHdr
    {
        public nint Name;
        public uint NameLength;
        public nint Iov;
        public nuint IovLength;
        public nint Control;
        public nuint ControlLength;
        public int Flags;
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true)]
        public static extern nint recvmsg(nint socket, ref MsgHdr message, int flags);
    }
}
