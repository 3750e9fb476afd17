namespace P2PShare.Net.HolePunch;

/// <summary>The application side: bytes in and out of the send and receive buffers.</summary>
public sealed partial class UdpStreamConnection
{
    /// <summary>Bytes copied per hold of the lock, so a large read or write does not stall the receive loop.</summary>
    private const int CopySliceBytes = 64 * 1024;

    private readonly ChunkedByteRing _receiveBuffer;
    private readonly RangeSet _received; // stream bytes held at or above the read offset
    private long _readOffset;
    private long _maxDataAdvertised = InitialMaxData;
    private bool _maxDataDue;
    private long _peerFinalSize = -1;
    private bool _readerWaiting; // set under the lock before the reader sleeps, so a wake-up is never lost
    private bool _writerWaiting;

    internal async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        if (destination.IsEmpty)
        {
            return 0;
        }

        while (true)
        {
            var copied = 0;
            var wakeSender = false;
            while (copied < destination.Length)
            {
                lock (_lock)
                {
                    if (!_received.IsEmpty && _received.First.Start <= _readOffset)
                    {
                        var n = (int)Math.Min(Math.Min(destination.Length - copied, CopySliceBytes), _received.First.End - _readOffset);
                        _receiveBuffer.Read(_readOffset, destination.Span.Slice(copied, n));
                        _readOffset += n;
                        copied += n;
                        _receiveBuffer.Release(_readOffset);
                        _received.RemoveBelow(_readOffset);
                        if (_readOffset + _options.ReceiveWindowBytes - _maxDataAdvertised >= _options.ReceiveWindowBytes / 4)
                        {
                            _maxDataDue = wakeSender = true;
                        }

                        continue;
                    }

                    if (copied > 0)
                    {
                        break;
                    }

                    if (_peerFinalSize >= 0 && _readOffset >= _peerFinalSize)
                    {
                        return 0;
                    }

                    ThrowIfFailed();
                    _readerWaiting = true;
                    break;
                }
            }

            if (wakeSender)
            {
                _wakeSender.Set();
            }

            if (copied > 0)
            {
                return copied;
            }

            await _readable.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private void WakeReader()
    {
        if (_readerWaiting)
        {
            _readerWaiting = false;
            _readable.Set();
        }
    }

    internal async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            var wrote = false;
            lock (_lock)
            {
                ThrowIfFailed();
                if (_finRequested)
                {
                    throw new IOException("the stream is closed for writing");
                }

                var free = (int)(_sendBuffer.Base + _sendBuffer.Capacity - _writeEnd);
                var n = Math.Min(free, Math.Min(data.Length, CopySliceBytes));
                if (n > 0)
                {
                    _sendBuffer.Write(_writeEnd, data.Span[..n]);
                    _writeEnd += n;
                    data = data[n..];
                    wrote = true;
                }

                _writerWaiting = !wrote; // the buffer is full: the next acknowledgement that frees space wakes this
            }

            if (wrote)
            {
                _wakeSender.Set();
            }
            else
            {
                await _writable.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
