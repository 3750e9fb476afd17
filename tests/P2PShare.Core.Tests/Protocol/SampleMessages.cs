using System.Security.Cryptography;
using P2PShare.Core.Protocol;
using P2PShare.Core.Protocol.Messages;

namespace P2PShare.Core.Tests.Protocol;

/// <summary>One realistic message of every type, and a field-by-field comparison (bodies by content).</summary>
internal static class SampleMessages
{
    public const string FileId = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    public const string PeerId = "300c9c9603b92a4b39ed3958bf9240114804db4f";

    public static readonly byte[] ChunkData = RandomNumberGenerator.GetBytes(Piece.MaxDataLength);

    public static PeerMessage[] All() =>
    [
        Hello.ForThisBuild(PeerId, 6881, "p2pshare/0.1 (tests)"),
        KeepAlive.Instance,
        new Error(ErrorCode.UnsupportedVersion, "no common version — ñ"),
        Bitfield.Create(FileId, 13, i => i % 3 == 0),
        new Have(FileId, 7),
        new ManifestRequest(FileId, 524_288),
        new Manifest(FileId, 1_000_000, 524_288, RandomNumberGenerator.GetBytes(300_000)),
        new Request(FileId, 42),
        new Piece(FileId, 42, ChunkData),
        new Cancel(FileId, 42),
        new Reject(FileId, 42, RejectReason.Busy),
    ];

    public static TheoryData<MessageType> Types() => new(Enum.GetValues<MessageType>());

    public static PeerMessage Of(MessageType type) => All().Single(m => m.Type == type);

    public static void AssertSame(PeerMessage expected, PeerMessage? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.GetType(), actual.GetType());
        switch (expected)
        {
            case Bitfield b:
                var bitfield = (Bitfield)actual;
                Assert.Equal((b.FileId, b.ChunkCount), (bitfield.FileId, bitfield.ChunkCount));
                Assert.Equal(b.Bits.ToArray(), bitfield.Bits.ToArray());
                break;
            case Manifest m:
                var manifest = (Manifest)actual;
                Assert.Equal((m.FileId, m.TotalLength, m.Offset), (manifest.FileId, manifest.TotalLength, manifest.Offset));
                Assert.True(m.Data.Span.SequenceEqual(manifest.Data.Span));
                break;
            case Piece p:
                var piece = (Piece)actual;
                Assert.Equal((p.FileId, p.Index), (piece.FileId, piece.Index));
                Assert.True(p.Data.Span.SequenceEqual(piece.Data.Span));
                break;
            default:
                Assert.Equal(expected, actual);
                break;
        }
    }
}
