using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace P2PShare.Net.HolePunch;

/// <summary>Acknowledgements, loss detection and the probe timeout (RFC 9002 §6).</summary>
public sealed partial class UdpStreamConnection
{
    private readonly SentPacketQueue _sent;
    private readonly RttEstimator _rtt = new();
    private readonly NewRenoController _cc;
    private readonly RangeSet _streamAcked;
    private long _largestAcked = -1;
    private long _lossTimeUs; // 0 = no packet waiting on the time threshold
    private int _ptoCount;
    private int _probesDue;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs per datagram from the first one: tier-0 code halves the rate
    private void OnAckFrame(ReadOnlySpan<byte> ranges, int count, long ackDelayUs, long now)
    {
        var largest = BinaryPrimitives.ReadInt64BigEndian(ranges[8..]);
        if (largest >= _nextPacketNumber)
        {
            return; // acknowledges a packet never sent
        }

        var sampleSentUs = -1L;
        var newlyAcked = false;
        for (var r = 0; r < count; r++)
        {
            var first = BinaryPrimitives.ReadInt64BigEndian(ranges[(16 * r)..]);
            var last = BinaryPrimitives.ReadInt64BigEndian(ranges[((16 * r) + 8)..]);
            for (var i = _sent.IndexOf(first); i < _sent.Count && _sent[i].Number <= last; i++)
            {
                ref var packet = ref _sent[i];
                if (packet.Done)
                {
                    continue;
                }

                packet.Done = true;
                newlyAcked = true;
                if (packet.Number == largest)
                {
                    sampleSentUs = packet.SentUs;
                }

                OnPacketAcked(in packet);
            }
        }

        if (largest > _largestAcked)
        {
            _largestAcked = largest;
        }

        if (sampleSentUs >= 0)
        {
            _rtt.AddSample(now - sampleSentUs, ackDelayUs, MaxAckDelayUs);
        }

        if (newlyAcked)
        {
            _ptoCount = 0;
            DetectLostPackets(now);
            _sent.Compact();
            AdvanceAckedStream();
            _wakeDue = true;
        }
    }

    private void OnPacketAcked(in SentPacket packet)
    {
        if (packet.MtuProbe)
        {
            _cc.OnDiscarded(packet.Size);
            _datagramSize = UdpPacket.ProbeDatagramSize;
            _cc.MaxDatagramSize = _datagramSize;
            _mtuProbeState = MtuProbeDone;
            return;
        }

        _cc.OnAcked(packet.Size, packet.SentUs);
        if (packet.StreamLength > 0)
        {
            _streamAcked.Add(packet.StreamOffset, packet.StreamOffset + packet.StreamLength);
        }

        if (packet.Fin)
        {
            _finAcked = true;
        }
    }

    private void OnPacketLost(in SentPacket packet, long now)
    {
        if (packet.MtuProbe)
        {
            _cc.OnDiscarded(packet.Size);
            _mtuProbeState = MtuProbeDone; // the larger size does not fit this path; stay at 1200
            return;
        }

        _cc.OnLost(packet.Size, packet.SentUs, now);
        if (packet.StreamLength > 0 && packet.StreamOffset + packet.StreamLength > _sendBuffer.Base)
        {
            _retransmit.Add(Math.Max(packet.StreamOffset, _sendBuffer.Base), packet.StreamOffset + packet.StreamLength);
        }

        if (packet.Fin && !_finAcked)
        {
            _finPending = true;
        }

        if (packet.MaxData)
        {
            _maxDataDue = true;
        }
    }

    /// <summary>Frees acknowledged bytes from the front of the send buffer.</summary>
    private void AdvanceAckedStream()
    {
        var newBase = _sendBuffer.Base;
        while (!_streamAcked.IsEmpty && _streamAcked.First.Start <= newBase)
        {
            newBase = Math.Max(newBase, _streamAcked.First.End);
            _streamAcked.RemoveFirst();
        }

        if (newBase > _sendBuffer.Base)
        {
            _sendBuffer.Release(newBase);
            _retransmit.RemoveBelow(newBase);
            if (_writerWaiting)
            {
                _writerWaiting = false;
                _writable.Set();
            }
        }

        if (_finAcked && newBase == _writeEnd)
        {
            _flushed.Set();
        }
    }

    /// <summary>Packet threshold (3) and time threshold (9/8 RTT) below the largest acknowledged packet.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void DetectLostPackets(long now)
    {
        var lossDelay = _rtt.LossDelayUs;
        _lossTimeUs = 0;
        for (var i = 0; i < _sent.Count; i++)
        {
            ref var packet = ref _sent[i];
            if (packet.Number > _largestAcked)
            {
                break;
            }

            if (packet.Done)
            {
                continue;
            }

            if (_largestAcked - packet.Number >= PacketThreshold || packet.SentUs <= now - lossDelay)
            {
                packet.Done = true;
                OnPacketLost(in packet, now);
            }
            else
            {
                var at = packet.SentUs + lossDelay;
                _lossTimeUs = _lossTimeUs == 0 ? at : Math.Min(_lossTimeUs, at);
            }
        }

        _sent.Compact();
    }

    private long ProbeDeadlineUs() =>
        _sent.Count == 0 ? 0 : _lastAckElicitingSentUs + (_rtt.ProbeTimeoutUs(MaxAckDelayUs) << Math.Min(_ptoCount, 6));

    /// <summary>Runs the loss, probe, acknowledgement, keep-alive and idle timers; returns an error if the peer is gone.</summary>
    private IOException? OnTimers(long now)
    {
        if (now - _lastReceiveUs > (long)_options.IdleTimeout.TotalMicroseconds)
        {
            return new IOException($"no answer from {Remote} for {_options.IdleTimeout.TotalSeconds:0.#} s");
        }

        if (_lossTimeUs != 0 && now >= _lossTimeUs)
        {
            DetectLostPackets(now);
        }
        else if (ProbeDeadlineUs() is var probeAt && probeAt != 0 && now >= probeAt)
        {
            _ptoCount++;
            _probesDue = 2;
        }

        if (_ackDeadlineUs != 0 && now >= _ackDeadlineUs)
        {
            _ackNow = true;
        }

        if (now - _lastAckElicitingSentUs >= (long)_options.KeepAliveInterval.TotalMicroseconds)
        {
            _pingDue = true;
        }

        return null;
    }

    /// <summary>Microseconds until the next timer is due.</summary>
    private long NextTimerUs(long now)
    {
        var next = _lastReceiveUs + (long)_options.IdleTimeout.TotalMicroseconds;
        next = Math.Min(next, _lastAckElicitingSentUs + (long)_options.KeepAliveInterval.TotalMicroseconds);
        if (_lossTimeUs != 0)
        {
            next = Math.Min(next, _lossTimeUs);
        }
        else if (ProbeDeadlineUs() is var probeAt && probeAt != 0)
        {
            next = Math.Min(next, probeAt);
        }

        if (_ackDeadlineUs != 0)
        {
            next = Math.Min(next, _ackDeadlineUs);
        }

        return Math.Max(0, next - now);
    }
}
