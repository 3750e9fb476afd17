using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace P2PShare.Net.HolePunch;

/// <summary>
/// Sending: a run of full-size DATA packets leaves in one system call through Linux UDP segmentation offload
/// (UDP_SEGMENT), which the kernel splits into datagrams of exactly the segment size, the last one possibly shorter.
/// </summary>
public sealed partial class UdpStreamSocket
{
    private const int SolSocket = 1;
    private const int SoSendBufferForce = 32;
    private const int SoReceiveBufferForce = 33;
    private const int SolUdp = 17;
    private const int UdpSegment = 103;

    private volatile int _segmentSize; // 0 = one system call per datagram

    /// <summary>Whether runs of datagrams leave in one call (UDP_SEGMENT) and arrive in one (UDP_GRO).</summary>
    internal (bool Send, bool Receive) Offload => (_segmentSize > 0, _groReceiver is not null);

    /// <summary>
    /// Sends the packets that end at <paramref name="ends"/> within <paramref name="packets"/>: each run of packets of
    /// exactly the segment size, plus the one packet after it, as one segmented send.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs per datagram from the first one: tier-0 code halves the rate
    internal void SendPackets(ReadOnlySpan<byte> packets, ReadOnlySpan<int> ends, SocketAddress remote)
    {
        var start = 0;
        for (var i = 0; i < ends.Length; i++)
        {
            var segment = _segmentSize;
            var length = ends[i] - (i == 0 ? 0 : ends[i - 1]);
            if (segment > 0 && length == segment && i < ends.Length - 1)
            {
                continue;
            }

            var run = packets[start..ends[i]];
            if (run.Length > length)
            {
                SendSegmented(run, segment, remote);
            }
            else
            {
                Send(run, remote);
            }

            start = ends[i];
        }
    }

    internal void Send(ReadOnlySpan<byte> datagram, SocketAddress remote)
    {
        try
        {
            _socket.SendTo(datagram, SocketFlags.None, remote);
        }
        catch (SocketException)
        {
            // A full send buffer, a too-large probe or an ICMP error: the datagram counts as lost.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private void SendSegmented(ReadOnlySpan<byte> run, int segment, SocketAddress remote)
    {
        try
        {
            _socket.SendTo(run, SocketFlags.None, remote);
            return;
        }
        catch (SocketException e) when (e.SocketErrorCode is not (SocketError.MessageSize or SocketError.NoBufferSpaceAvailable or SocketError.WouldBlock))
        {
            _segmentSize = 0; // the route's device cannot segment: one datagram per call from now on
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        for (var at = 0; at < run.Length; at += segment)
        {
            Send(run[at..Math.Min(run.Length, at + segment)], remote);
        }
    }

    /// <summary>Turns on UDP_SEGMENT with <paramref name="segmentSize"/>; 0 where the platform or kernel lacks it.</summary>
    private static int TryEnableSegmentation(Socket socket, int segmentSize)
    {
        if (!OperatingSystem.IsLinux())
        {
            return 0;
        }

        try
        {
            socket.SetRawSocketOption(SolUdp, UdpSegment, BitConverter.GetBytes(segmentSize));
            return segmentSize;
        }
        catch (Exception e) when (e is SocketException or PlatformNotSupportedException)
        {
            return 0;
        }
    }

    /// <summary>Kernel buffers for a bulk flow: beyond net.core.[rw]mem_max where the process may (CAP_NET_ADMIN).</summary>
    private static void SetBufferSizes(Socket socket, int bytes)
    {
        socket.ReceiveBufferSize = bytes;
        socket.SendBufferSize = bytes;
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            socket.SetRawSocketOption(SolSocket, SoReceiveBufferForce, BitConverter.GetBytes(bytes));
            socket.SetRawSocketOption(SolSocket, SoSendBufferForce, BitConverter.GetBytes(bytes));
        }
        catch (SocketException)
        {
            // Not permitted: the sizes above, capped by the system's maximum, stay.
        }
    }
}
