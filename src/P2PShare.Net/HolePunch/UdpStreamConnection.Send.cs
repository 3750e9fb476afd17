using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace P2PShare.Net.HolePunch;

/// <summary>The sender: one loop per stream that builds packets within the congestion window and pacing rate.</summary>
public sealed partial class UdpStreamConnection
{
    /// <summary>Packets built per turn: 44 full ones are the most one segmented send carries (64 KiB IP limit).</summary>
    private const int BatchPackets = 44;
    private const int BatchBytes = BatchPackets * UdpPacket.MaxDatagramSize;
    private const int MtuProbePending = 0;
    private const int MtuProbeInFlight = 1;
    private const int MtuProbeDone = 2;

    private readonly ChunkedByteRing _sendBuffer;
    private readonly RangeSet _retransmit;
    private long _writeEnd;
    private long _sendNext;
    private long _peerMaxData = InitialMaxData;
    private bool _finRequested;
    private bool _finPending;
    private bool _finAcked;
    private long _nextPacketNumber;
    private long _lastAckElicitingSentUs;
    private bool _pingDue;
    private int _datagramSize = UdpPacket.MinDatagramSize;
    private int _mtuProbeState = MtuProbePending;

    private async Task SendLoopAsync()
    {
        var batch = ArrayPool<byte>.Shared.Rent(BatchBytes);
        var ends = new int[BatchPackets];
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                int count;
                long waitUs = 0;
                IOException? error;
                lock (_lock)
                {
                    var now = NowUs();
                    error = OnTimers(now);
                    count = error is null ? BuildPackets(batch, ends, now, out waitUs) : 0;
                    waitUs = error is null ? Math.Min(waitUs, NextTimerUs(now)) : 0;
                }

                if (error is not null)
                {
                    Fail(error);
                    return;
                }

                if (count > 0)
                {
                    _socket.SendPackets(batch.AsSpan(0, ends[count - 1]), ends.AsSpan(0, count), RemoteAddress);
                }

                if (count == BatchPackets)
                {
                    continue;
                }

                var wait = TimeSpan.FromMilliseconds(Math.Max(1, Math.Ceiling(waitUs / 1000.0)));
                await _wakeSender.WaitAsync(wait, _stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(batch);
        }
    }

    /// <summary>Builds up to <see cref="BatchPackets"/> packets back to back; <paramref name="ends"/> gets where each ends.</summary>
    private int BuildPackets(byte[] batch, int[] ends, long now, out long waitUs)
    {
        waitUs = long.MaxValue;
        var count = 0;
        var pos = 0;
        while (count < ends.Length)
        {
            var size = BuildPacket(batch.AsSpan(pos, UdpPacket.MaxDatagramSize), now, ref waitUs);
            if (size == 0)
            {
                break;
            }

            pos += size;
            ends[count++] = pos;
        }

        return count;
    }

    private bool HasStreamData => !_retransmit.IsEmpty || _sendNext < Math.Min(_writeEnd, _peerMaxData);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs per datagram from the first one: tier-0 code halves the rate
    private int BuildPacket(Span<byte> packet, long now, ref long waitUs)
    {
        var probe = _probesDue > 0;
        var wantAck = _ackNow;
        var mtuProbe = _mtuProbeState == MtuProbePending && _largestAcked >= 0;
        var wantEliciting = HasStreamData || (_finPending && _sendNext == _writeEnd) || _maxDataDue || _pingDue || probe || mtuProbe;
        if (!wantAck && !wantEliciting)
        {
            return 0;
        }

        var size = mtuProbe ? UdpPacket.ProbeDatagramSize : _datagramSize;
        var mayElicit = wantEliciting && (probe || (_cc.CanSend(size) && !_sent.IsFull));
        if (mayElicit && !probe)
        {
            var delay = _cc.PacingDelayUs(size, now, _rtt.SmoothedUs);
            if (delay > 0)
            {
                waitUs = Math.Min(waitUs, delay);
                mayElicit = false;
            }
        }

        if (!mayElicit && !wantAck)
        {
            return 0;
        }

        var pn = _nextPacketNumber++;
        UdpPacket.WriteHeader(packet, UdpPacket.Data, RemoteId);
        BinaryPrimitives.WriteInt64BigEndian(packet[UdpPacket.HeaderSize..], pn);
        var pos = UdpPacket.DataHeaderSize;
        if (wantAck || (mayElicit && _unackedEliciting > 0 && AckFrameSize < size / 4))
        {
            pos += WriteAckFrame(packet[pos..], now);
        }

        if (!mayElicit)
        {
            return pos;
        }

        var record = new SentPacket { Number = pn, SentUs = now };
        pos += WriteControlFrames(packet[pos..], ref record, probe || mtuProbe);
        if (mtuProbe)
        {
            packet[pos..size].Clear(); // PADDING up to the probed size
            pos = size;
            record.MtuProbe = true;
            _mtuProbeState = MtuProbeInFlight;
        }
        else
        {
            var before = pos;
            pos += WriteStreamFrame(packet[pos..size], ref record);
            pos += WriteFinFrame(packet[pos..size], ref record);
            if (pos == before && !record.MaxData && packet[pos - 1] != UdpFrame.Ping)
            {
                packet[pos++] = UdpFrame.Ping; // nothing else to send, but the packet must elicit an acknowledgement
            }
        }

        record.Size = pos;
        _sent.Add(record);
        _cc.OnSent(pos);
        _cc.OnPaced(pos);
        _lastAckElicitingSentUs = now;
        if (probe)
        {
            _probesDue--;
        }

        return pos;
    }

    private int WriteControlFrames(Span<byte> destination, ref SentPacket record, bool forcePing)
    {
        var pos = 0;
        if (_maxDataDue)
        {
            _maxDataAdvertised = _readOffset + _options.ReceiveWindowBytes;
            destination[0] = UdpFrame.MaxData;
            BinaryPrimitives.WriteInt64BigEndian(destination[1..], _maxDataAdvertised);
            pos += 9;
            record.MaxData = true;
            _maxDataDue = false;
        }

        if (_pingDue || forcePing)
        {
            destination[pos++] = UdpFrame.Ping;
            _pingDue = false;
        }

        return pos;
    }

    /// <summary>STREAM frame: offset (8), length (2), bytes; lost ranges go first, then new bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int WriteStreamFrame(Span<byte> destination, ref SentPacket record)
    {
        var room = destination.Length - UdpFrame.StreamHeaderSize;
        if (room <= 0)
        {
            return 0;
        }

        long offset;
        int length;
        while (true)
        {
            if (!_retransmit.IsEmpty)
            {
                var (start, end) = _retransmit.First;
                length = (int)Math.Min(end - start, room);
                offset = start;
                if (length == end - start)
                {
                    _retransmit.RemoveFirst();
                }
                else
                {
                    _retransmit.ReplaceFirst(start + length, end);
                }

                if (_streamAcked.Covers(offset, offset + length))
                {
                    continue; // a later copy already arrived
                }

                break;
            }

            length = (int)Math.Min(Math.Min(_writeEnd, _peerMaxData) - _sendNext, room);
            if (length <= 0)
            {
                return 0;
            }

            offset = _sendNext;
            _sendNext += length;
            break;
        }

        destination[0] = UdpFrame.Stream;
        BinaryPrimitives.WriteInt64BigEndian(destination[1..], offset);
        BinaryPrimitives.WriteUInt16BigEndian(destination[9..], (ushort)length);
        _sendBuffer.Read(offset, destination.Slice(UdpFrame.StreamHeaderSize, length));
        record.StreamOffset = offset;
        record.StreamLength = length;
        return UdpFrame.StreamHeaderSize + length;
    }

    /// <summary>FIN frame: the final stream size (8), once every byte has been sent at least once.</summary>
    private int WriteFinFrame(Span<byte> destination, ref SentPacket record)
    {
        if (!_finPending || _sendNext != _writeEnd || destination.Length < 9)
        {
            return 0;
        }

        destination[0] = UdpFrame.Fin;
        BinaryPrimitives.WriteInt64BigEndian(destination[1..], _writeEnd);
        _finPending = false;
        record.Fin = true;
        return 9;
    }

    /// <summary>One CLOSE frame, not retransmitted: a peer that misses it times out instead.</summary>
    private void SendClose()
    {
        Span<byte> packet = stackalloc byte[UdpPacket.DataHeaderSize + 1];
        lock (_lock)
        {
            if (_failure is not null)
            {
                return;
            }

            UdpPacket.WriteHeader(packet, UdpPacket.Data, RemoteId);
            BinaryPrimitives.WriteInt64BigEndian(packet[UdpPacket.HeaderSize..], _nextPacketNumber++);
        }

        packet[^1] = UdpFrame.Close;
        _socket.Send(packet, RemoteAddress);
    }
}
