using P2PShare.Core.Crypto;
using P2PShare.Core.Hashing;

namespace P2PShare.Core.Protocol;

/// <summary>File IDs and peer IDs are hex in the API and raw bytes (32 and 20) on the wire.</summary>
internal static class WireIds
{
    public const int FileIdLength = Sha256Hash.Size;

    public const int PeerIdLength = PeerIdentity.PeerIdLength;

    public static void WriteFileId(string fileId, Span<byte> destination)
    {
        if (!Sha256Hash.TryParse(fileId, destination))
        {
            throw new ArgumentException($"a file ID is {FileIdLength * 2} hex digits: '{fileId}'", nameof(fileId));
        }
    }

    public static string ReadFileId(ReadOnlySpan<byte> source) => Convert.ToHexStringLower(source[..FileIdLength]);

    public static void WritePeerId(string peerId, Span<byte> destination)
    {
        if (peerId is not { Length: PeerIdLength * 2 }
            || Convert.FromHexString(peerId, destination[..PeerIdLength], out _, out int written) != System.Buffers.OperationStatus.Done
            || written != PeerIdLength)
        {
            throw new ArgumentException($"a peer ID is {PeerIdLength * 2} hex digits: '{peerId}'", nameof(peerId));
        }
    }

    public static string ReadPeerId(ReadOnlySpan<byte> source) => Convert.ToHexStringLower(source[..PeerIdLength]);
}
