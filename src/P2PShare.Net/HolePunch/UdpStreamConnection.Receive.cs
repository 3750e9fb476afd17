using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace P2PShare.Net.HolePunch;

/// <summary>Incoming DATA packets: their frames, and which packet numbers still need acknowledging.</summary>
public sealed partial class UdpStreamConnection
{
    private readonly RangeSet _receivedPackets = new(UdpFrame.MaxAckRanges * 2);
    private long _largestReceivedPn = -1;
    private long _largestReceivedUs;
    private int _unackedEliciting;
    private long _ackDeadlineUs; // 0 = no acknowledgement pending
    private bool _ackNow;
    private bool _wakeDue; // the datagrams being handled gave the sender work (receive loop only)

    /// <summary>
    /// Handles a run of DATA datagrams addressed to this stream, each <paramref name="segmentSize"/> bytes but the last
    /// (called from the socket's receive loop), under one hold of the lock; wakes the sender once if they gave it work.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs per datagram from the first one: tier-0 code halves the rate
    internal void OnDatagrams(ReadOnlySpan<byte> datagrams, int segmentSize)
    {
        IOException? error = null;
        lock (_lock)
        {
            if (_failure is not null)
            {
                return;
            }

            var now = NowUs();
            _lastReceiveUs = now;
            for (var at = 0; at < datagrams.Length && error is null; at += segmentSize)
            {
                error = OnDatagram(datagrams[at..Math.Min(datagrams.Length, at + segmentSize)], now);
            }
        }

        if (error is not null)
        {
            Fail(error);
        }
        else if (_wakeDue)
        {
            _wakeDue = false;
            _wakeSender.Set();
        }
    }

    /// <summary>One DATA datagram, under the lock; returns the error that ends the stream, if any.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private IOException? OnDatagram(ReadOnlySpan<byte> packet, long now)
    {
        if (packet.Length < UdpPacket.DataHeaderSize)
        {
            return null;
        }

        var pn = BinaryPrimitives.ReadInt64BigEndian(packet[UdpPacket.HeaderSize..]);
        if (pn < 0)
        {
            return null;
        }

        IOException? error = null;
        var wake = false;
        var duplicate = _receivedPackets.Contains(pn);
        var eliciting = false;
        var body = packet[UdpPacket.DataHeaderSize..];
        while (!body.IsEmpty && error is null)
        {
            var type = body[0];
            if (type == UdpFrame.Padding)
            {
                break;
            }

            if (type == UdpFrame.Close)
            {
                error = new IOException("the peer closed the connection");
                break;
            }

            eliciting |= type != UdpFrame.Ack;
            var used = type switch
            {
                UdpFrame.Ping => 1,
                UdpFrame.Ack => ReadAckFrame(body, now),
                UdpFrame.MaxData => ReadMaxDataFrame(body),
                UdpFrame.Stream => ReadStreamFrame(body, ref error),
                UdpFrame.Fin => ReadFinFrame(body, ref error),
                _ => 0,
            };
            if (used <= 0)
            {
                break; // malformed or unknown: the rest of the packet is ignored
            }

            body = body[used..];
        }

        _receivedPackets.Add(pn, pn + 1);
        if (eliciting)
        {
            _unackedEliciting++;
            if (duplicate || pn != _largestReceivedPn + 1 || _unackedEliciting >= AckEveryPackets)
            {
                _ackNow = true;
            }

            if (_ackDeadlineUs == 0)
            {
                _ackDeadlineUs = now + MaxAckDelayUs;
                wake = true; // the sender may be asleep on a later timer
            }

            wake |= _ackNow;
        }

        if (pn > _largestReceivedPn)
        {
            _largestReceivedPn = pn;
            _largestReceivedUs = now;
        }

        _wakeDue |= wake;
        return error;
    }

    private int ReadAckFrame(ReadOnlySpan<byte> frame, long now)
    {
        if (frame.Length < 6)
        {
            return 0;
        }

        var ackDelayUs = BinaryPrimitives.ReadUInt32BigEndian(frame[1..]);
        var count = frame[5];
        var size = 6 + (16 * count);
        if (count == 0 || count > UdpFrame.MaxAckRanges || frame.Length < size)
        {
            return 0;
        }

        OnAckFrame(frame[6..size], count, ackDelayUs, now);
        return size;
    }

    private int ReadMaxDataFrame(ReadOnlySpan<byte> frame)
    {
        if (frame.Length < 9)
        {
            return 0;
        }

        var max = BinaryPrimitives.ReadInt64BigEndian(frame[1..]);
        if (max > _peerMaxData)
        {
            _peerMaxData = max;
            _wakeDue = true;
        }

        return 9;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int ReadStreamFrame(ReadOnlySpan<byte> frame, ref IOException? error)
    {
        if (frame.Length < UdpFrame.StreamHeaderSize)
        {
            return 0;
        }

        var offset = BinaryPrimitives.ReadInt64BigEndian(frame[1..]);
        var length = BinaryPrimitives.ReadUInt16BigEndian(frame[9..]);
        var size = UdpFrame.StreamHeaderSize + length;
        if (frame.Length < size || offset < 0)
        {
            return 0;
        }

        var end = offset + length;
        if (end > _maxDataAdvertised || (_peerFinalSize >= 0 && end > _peerFinalSize))
        {
            error = new IOException("the peer sent beyond the flow-control window or the end of the stream");
            return size;
        }

        var start = Math.Max(offset, _readOffset);
        if (end > start && !_received.Covers(start, end))
        {
            _receiveBuffer.Write(start, frame.Slice(UdpFrame.StreamHeaderSize + (int)(start - offset), (int)(end - start)));
            _received.Add(start, end);
            if (_received.First.Start <= _readOffset)
            {
                WakeReader();
            }
        }

        return size;
    }

    private int ReadFinFrame(ReadOnlySpan<byte> frame, ref IOException? error)
    {
        if (frame.Length < 9)
        {
            return 0;
        }

        var finalSize = BinaryPrimitives.ReadInt64BigEndian(frame[1..]);
        var highest = _received.IsEmpty ? _readOffset : _received.Last.End;
        if (finalSize < highest || (_peerFinalSize >= 0 && finalSize != _peerFinalSize))
        {
            error = new IOException("the peer's end of stream contradicts the bytes it sent");
            return 9;
        }

        _peerFinalSize = finalSize;
        WakeReader();
        return 9;
    }

    /// <summary>ACK frame: delay (µs, 4), range count (1), then ranges (first, last; 8 + 8 each), highest first.</summary>
    private int WriteAckFrame(Span<byte> destination, long now)
    {
        var count = Math.Min(_receivedPackets.Count, UdpFrame.MaxAckRanges);
        destination[0] = UdpFrame.Ack;
        BinaryPrimitives.WriteUInt32BigEndian(destination[1..], (uint)Math.Clamp(now - _largestReceivedUs, 0, uint.MaxValue));
        destination[5] = (byte)count;
        for (var i = 0; i < count; i++)
        {
            var (start, end) = _receivedPackets[_receivedPackets.Count - 1 - i];
            BinaryPrimitives.WriteInt64BigEndian(destination[(6 + (16 * i))..], start);
            BinaryPrimitives.WriteInt64BigEndian(destination[(14 + (16 * i))..], end - 1);
        }

        _ackNow = false;
        _ackDeadlineUs = 0;
        _unackedEliciting = 0;
        return 6 + (16 * count);
    }

    private int AckFrameSize => 6 + (16 * Math.Min(_receivedPackets.Count, UdpFrame.MaxAckRanges));
}
