using System.Buffers;
using System.Buffers.Binary;
using P2PShare.Core.Crypto.Noise;

namespace P2PShare.Core.Crypto;

/// <summary>
/// Reads records from the transport into a pooled buffer and decrypts them, straight into the caller's buffer when
/// a whole record fits, otherwise in place. Any failure — bad tag (tampering, replay, reordering), a record too short
/// to hold a tag, or the transport ending inside a record — faults the reader for good; no unauthenticated byte is
/// ever returned.
/// </summary>
internal sealed class RecordReader(Stream transport, CipherState cipher) : IDisposable
{
    private const int Idle = 0;
    private const int Busy = 1;
    private const int Released = 2;

    private byte[]? _buffer = ArrayPool<byte>.Shared.Rent(RecordLayer.ReceiveBufferLength);
    private int _rawStart;
    private int _rawEnd;
    private int _plainStart;
    private int _plainEnd;
    private bool _endOfStream;
    private string? _fault;
    private int _state = Idle;
    private bool _disposed;

    public async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        switch (Interlocked.CompareExchange(ref _state, Busy, Idle))
        {
            case Busy:
                throw new InvalidOperationException("concurrent reads on a secure stream");
            case Released:
                throw new ObjectDisposedException(nameof(SecureStream));
        }

        try
        {
            while (true)
            {
                ThrowIfFaulted();
                if (destination.IsEmpty)
                {
                    return 0;
                }

                int produced = DrainPending(destination.Span);
                if (produced > 0)
                {
                    return produced;
                }

                // Genuine bytes decrypted before a bad record are still delivered; the fault surfaces on the next read.
                produced = DecryptAvailable(destination.Span);
                if (produced > 0)
                {
                    return produced;
                }

                ThrowIfFaulted();
                if (_plainEnd > _plainStart)
                {
                    return DrainPending(destination.Span);
                }

                if (_endOfStream)
                {
                    if (_rawEnd > _rawStart)
                    {
                        Fault("the connection ended in the middle of a record (truncated)");
                        ThrowIfFaulted();
                    }

                    return 0;
                }

                await FillAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            Volatile.Write(ref _state, Idle);
            if (Volatile.Read(ref _disposed))
            {
                ReleaseBuffer();
            }
        }
    }

    /// <summary>Returns the buffer to the pool now, or when a read in progress ends — never while one uses it.</summary>
    public void Dispose()
    {
        Volatile.Write(ref _disposed, true);
        ReleaseBuffer();
    }

    private int DrainPending(Span<byte> destination)
    {
        int count = Math.Min(destination.Length, _plainEnd - _plainStart);
        if (count == 0)
        {
            return 0;
        }

        Buffer.AsSpan(_plainStart, count).CopyTo(destination);
        _plainStart += count;
        return count;
    }

    /// <summary>Decrypts complete buffered records: directly into the destination while whole records fit.</summary>
    private int DecryptAvailable(Span<byte> destination)
    {
        int produced = 0;
        while (_fault is null && TryPeekRecord(out int ciphertextLength))
        {
            int plaintextLength = ciphertextLength - NoiseConstants.TagLength;
            var ciphertext = Buffer.AsSpan(_rawStart + RecordLayer.HeaderLength, ciphertextLength);
            if (destination.Length - produced >= plaintextLength)
            {
                if (!Open(ciphertext, destination[produced..]))
                {
                    break;
                }

                produced += plaintextLength;
            }
            else if (produced == 0)
            {
                if (!Open(ciphertext, ciphertext))
                {
                    break;
                }

                _plainStart = _rawStart + RecordLayer.HeaderLength;
                _plainEnd = _plainStart + plaintextLength;
            }
            else
            {
                break;
            }

            _rawStart += RecordLayer.HeaderLength + ciphertextLength;
            if (_plainEnd > _plainStart)
            {
                break;
            }
        }

        return produced;
    }

    private bool TryPeekRecord(out int ciphertextLength)
    {
        ciphertextLength = 0;
        int available = _rawEnd - _rawStart;
        if (available < RecordLayer.HeaderLength)
        {
            return false;
        }

        ciphertextLength = BinaryPrimitives.ReadUInt16BigEndian(Buffer.AsSpan(_rawStart));
        if (ciphertextLength < NoiseConstants.TagLength)
        {
            Fault($"record of {ciphertextLength} bytes is shorter than its authentication tag");
            return false;
        }

        return available >= RecordLayer.HeaderLength + ciphertextLength;
    }

    private bool Open(ReadOnlySpan<byte> ciphertext, Span<byte> plaintext)
    {
        ulong sequence = cipher.Nonce;
        if (cipher.TryDecryptWithAd([], ciphertext, plaintext, out _))
        {
            return true;
        }

        Fault($"record {sequence} failed authentication (tampered, replayed, reordered or corrupted)");
        return false;
    }

    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        var buffer = Buffer;
        if (_rawStart == _rawEnd)
        {
            _rawStart = _rawEnd = 0;
        }
        else if (buffer.Length - _rawStart < RecordLayer.MaxRecordLength)
        {
            // Keep room for a whole record after the partial one already received.
            buffer.AsSpan(_rawStart, _rawEnd - _rawStart).CopyTo(buffer);
            _rawEnd -= _rawStart;
            _rawStart = 0;
        }

        _plainStart = _plainEnd = 0;
        int read = await transport.ReadAsync(buffer.AsMemory(_rawEnd), cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            _endOfStream = true;
        }

        _rawEnd += read;
    }

    private byte[] Buffer => _buffer!;

    private void ThrowIfFaulted()
    {
        if (_fault is not null)
        {
            throw new SecureChannelException(_fault);
        }
    }

    private void Fault(string reason) => _fault ??= reason;

    private void ReleaseBuffer()
    {
        if (Interlocked.CompareExchange(ref _state, Released, Idle) == Idle && _buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
