using P2PShare.Core.Crypto.Noise;

namespace P2PShare.Core.Crypto;

/// <summary>Sizes of the secure stream's records: 2-byte big-endian length ‖ one Noise transport message.</summary>
internal static class RecordLayer
{
    public const int HeaderLength = 2;

    /// <summary>Largest ciphertext (including the tag) in one record.</summary>
    public const int MaxCiphertextLength = NoiseConstants.MaxMessageLength;

    /// <summary>Largest plaintext in one record: 65,535 − 16 = 65,519 bytes.</summary>
    public const int MaxPlaintextLength = MaxCiphertextLength - NoiseConstants.TagLength;

    public const int MaxRecordLength = HeaderLength + MaxCiphertextLength;

    /// <summary>
    /// Records are gathered into socket writes of up to eight full records (512 KiB + headers), so a 256 KiB chunk
    /// and its frame header leave in one write.
    /// </summary>
    public const int BatchLength = 8 * MaxRecordLength;

    /// <summary>The receive buffer holds four full records, so a whole record always fits after a partial one.</summary>
    public const int ReceiveBufferLength = 4 * MaxRecordLength;

    /// <summary>Bytes on the wire for <paramref name="plaintextLength"/> bytes of plaintext.</summary>
    public static long WireLength(long plaintextLength)
    {
        long records = (plaintextLength + MaxPlaintextLength - 1) / MaxPlaintextLength;
        return plaintextLength + (records * (HeaderLength + NoiseConstants.TagLength));
    }
}
