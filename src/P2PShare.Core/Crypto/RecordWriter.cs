using System.Buffers;
using System.Buffers.Binary;
using P2PShare.Core.Crypto.Noise;

namespace P2PShare.Core.Crypto;

/// <summary>
/// Encrypts plaintext into records (each at most 65,519 plaintext bytes) in a pooled buffer and sends several
/// records per transport write. One writer at a time; a failed transport write leaves the writer faulted, since the
/// nonce sequence and the byte stream no longer agree.
/// </summary>
internal sealed class RecordWriter(Stream transport, CipherState cipher)
{
    private int _busy;
    private bool _faulted;

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> first, ReadOnlyMemory<byte> second, CancellationToken cancellationToken)
    {
        if (first.IsEmpty && second.IsEmpty)
        {
            return;
        }

        if (Interlocked.Exchange(ref _busy, 1) != 0)
        {
            throw new InvalidOperationException("concurrent writes on a secure stream; serialise them (FrameWriter does)");
        }

        long wire = RecordLayer.WireLength(first.Length) + RecordLayer.WireLength(second.Length);
        var batch = ArrayPool<byte>.Shared.Rent((int)Math.Min(wire, RecordLayer.BatchLength));
        try
        {
            if (_faulted)
            {
                throw new SecureChannelException("the secure stream failed earlier and cannot send");
            }

            int used = await AppendAsync(batch, 0, first, cancellationToken).ConfigureAwait(false);
            used = await AppendAsync(batch, used, second, cancellationToken).ConfigureAwait(false);
            await SendAsync(batch, used, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(batch);
            Volatile.Write(ref _busy, 0);
        }
    }

    private async ValueTask<int> AppendAsync(byte[] batch, int used, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            int length = Math.Min(data.Length, RecordLayer.MaxPlaintextLength);
            int recordLength = RecordLayer.HeaderLength + length + NoiseConstants.TagLength;
            if (used + recordLength > batch.Length)
            {
                await SendAsync(batch, used, cancellationToken).ConfigureAwait(false);
                used = 0;
            }

            used += Seal(data.Span[..length], batch.AsSpan(used, recordLength));
            data = data[length..];
        }

        return used;
    }

    private int Seal(ReadOnlySpan<byte> plaintext, Span<byte> record)
    {
        int written = cipher.EncryptWithAd([], plaintext, record[RecordLayer.HeaderLength..]);
        BinaryPrimitives.WriteUInt16BigEndian(record, (ushort)written);
        return RecordLayer.HeaderLength + written;
    }

    private async ValueTask SendAsync(byte[] batch, int used, CancellationToken cancellationToken)
    {
        if (used == 0)
        {
            return;
        }

        _faulted = true;
        await transport.WriteAsync(batch.AsMemory(0, used), cancellationToken).ConfigureAwait(false);
        _faulted = false;
    }
}
