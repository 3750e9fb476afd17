namespace P2PShare.Core.Hashing;

/// <summary>The SHA-256 hashes of a file's chunks, in order, stored in one flat array.</summary>
public sealed class ChunkHashes
{
    private readonly byte[] _bytes;

    public ChunkHashes(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        _bytes = new byte[checked(count * Sha256Hash.Size)];
    }

    public int Count => _bytes.Length / Sha256Hash.Size;

    /// <summary>All hashes back to back, 32 bytes each.</summary>
    public ReadOnlySpan<byte> AsSpan() => _bytes;

    public ReadOnlySpan<byte> this[int index] => _bytes.AsSpan(index * Sha256Hash.Size, Sha256Hash.Size);

    public Span<byte> Slot(int index) => _bytes.AsSpan(index * Sha256Hash.Size, Sha256Hash.Size);

    /// <summary>Parses lowercase or uppercase hex strings; returns null when any entry is not 64 hex digits.</summary>
    public static ChunkHashes? FromHex(IReadOnlyList<string> hexHashes)
    {
        var hashes = new ChunkHashes(hexHashes.Count);
        for (int i = 0; i < hexHashes.Count; i++)
        {
            if (!Sha256Hash.TryParse(hexHashes[i], hashes.Slot(i)))
            {
                return null;
            }
        }

        return hashes;
    }

    public string[] ToHex()
    {
        var result = new string[Count];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = Sha256Hash.ToHex(this[i]);
        }

        return result;
    }
}
