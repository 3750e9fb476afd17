using System.Buffers;
using System.Buffers.Binary;
using P2PShare.Core.Protocol;
using P2PShare.Core.Protocol.Framing;
using P2PShare.Core.Protocol.Messages;

namespace P2PShare.Core.Tests.Protocol;

public sealed class MalformedFrameTests
{
    private static readonly byte[] FileId = Convert.FromHexString(SampleMessages.FileId);

    /// <summary>For every message type at least one bad frame, with the reason the reader must give.</summary>
    public static TheoryData<string, byte[], string> Cases() => new()
    {
        { "Hello version 0", WireBytes.Frame(1, Hello(min: 0, max: 1)), "invalid version range" },
        { "Hello min > max", WireBytes.Frame(1, Hello(min: 3, max: 2)), "invalid version range" },
        { "Hello agent past end", WireBytes.Frame(1, [.. Hello(1, 1)[..26], 5, (byte)'a']), "runs past the end" },
        { "Hello too short", WireBytes.Frame(1, new byte[26]), "outside 27..1024" },
        { "KeepAlive with payload", WireBytes.Frame(2, [0]), "outside 0..0" },
        { "Error without code", WireBytes.Frame(3, [1]), "outside 2..1026" },
        { "Error too long", WireBytes.Frame(3, new byte[1027]), "outside 2..1026" },
        { "Bitfield wrong size", WireBytes.Frame(4, [.. FileId, .. U32(16), 0xFF]), "needs 2 bytes of bits, found 1" },
        { "Bitfield spare bits", WireBytes.Frame(4, [.. FileId, .. U32(3), 0xF0]), "spare bits" },
        { "Bitfield huge count", WireBytes.Frame(4, [.. FileId, .. U32(0x80000000)]), "chunk count 2147483648 is out of range" },
        { "Have short", WireBytes.Frame(5, [.. FileId, 0, 0, 1]), "outside 36..36" },
        { "Have index out of range", WireBytes.Frame(5, [.. FileId, .. U32(0xFFFFFFFF)]), "index 4294967295 is out of range" },
        { "ManifestRequest long", WireBytes.Frame(6, [.. FileId, .. U32(0), 0]), "outside 36..36" },
        { "Manifest page past total", WireBytes.Frame(7, [.. FileId, .. U32(10), .. U32(8), 1, 2, 3]), "runs past its total length 10" },
        { "Manifest page too big", WireBytes.Frame(7, [.. FileId, .. U32(1 << 30), .. U32(0), .. new byte[FrameLimits.MaxManifestPage + 1]]), "outside 40..524328" },
        { "Request negative index", WireBytes.Frame(8, [.. FileId, .. U32(0x80000000)]), "out of range" },
        { "Piece without data", WireBytes.Frame(9, [.. FileId, .. U32(1)]), "outside 37..262180" },
        { "Piece too big", WireBytes.Frame(9, [.. FileId, .. U32(1), .. new byte[Piece.MaxDataLength + 1]]), "outside 37..262180" },
        { "Cancel short", WireBytes.Frame(10, FileId), "outside 36..36" },
        { "Reject without reason", WireBytes.Frame(11, [.. FileId, .. U32(1)]), "outside 37..37" },
        { "type 0", WireBytes.Frame(0, []), "unknown message type 0" },
        { "type 12", WireBytes.Frame(12, [1, 2, 3]), "unknown message type 12" },
        { "type 255", WireBytes.Frame(255, []), "unknown message type 255" },
        { "length 0", WireBytes.Frame(0, 2, []), "frame length 0 is outside" },
        { "length over the cap", WireBytes.Frame(FrameLimits.MaxFrameLength + 1, 9, []), "frame length 1048577 is outside" },
        { "length 2^32-1", WireBytes.Frame(uint.MaxValue, 9, []), "frame length 4294967295 is outside" },
        { "truncated header", [0, 0, 0], "ended inside a frame (3 bytes of 5)" },
        { "truncated payload", WireBytes.Encode(new Have(SampleMessages.FileId, 1))[..20], "ended inside a frame (20 bytes of 41)" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ReadAsync_MalformedFrame_ReturnsMalformedWithReasonAndStaysThere(string name, byte[] bytes, string reason)
    {
        var reader = WireBytes.ReaderOver([.. WireBytes.Encode(KeepAlive.Instance), .. bytes]);
        Assert.Equal(FrameReadStatus.Message, reader.ReadNow().Status);

        var result = reader.ReadNow();
        Assert.True(result.Status == FrameReadStatus.Malformed, $"{name}: got {result.Status}");
        Assert.Contains(reason, result.Reason);
        Assert.Null(result.Message);
        Assert.Equal(FrameReadStatus.Malformed, reader.ReadNow().Status);
    }

    [Theory]
    [MemberData(nameof(SampleMessages.Types), MemberType = typeof(SampleMessages))]
    public void ReadAsync_EveryTypeCutShort_IsMalformedNotAnException(MessageType type)
    {
        var bytes = WireBytes.Encode(SampleMessages.Of(type));
        for (int length = 1; length < bytes.Length; length += Math.Max(1, bytes.Length / 50))
        {
            var (messages, end) = WireBytes.ReadAll(bytes[..length]);
            Assert.Empty(messages);
            Assert.Equal(FrameReadStatus.Malformed, end.Status);
        }
    }

    [Fact]
    public async Task ReadAsync_OversizedLengthPrefix_IsRefusedBeforeThePayloadArrives()
    {
        var pipe = new System.IO.Pipelines.Pipe();
        var reader = new FrameReader(pipe.Reader);
        pipe.Writer.Write(WireBytes.Frame(FrameLimits.MaxFrameLength + 1, 7, []));
        await pipe.Writer.FlushAsync(TestContext.Current.CancellationToken);
        var pending = reader.ReadAsync(CancellationToken.None);
        Assert.True(pending.IsCompleted, "the header alone decides");
        Assert.Equal(FrameReadStatus.Malformed, (await pending).Status);
    }

    private static byte[] Hello(ushort min, ushort max)
    {
        var payload = new byte[27];
        BinaryPrimitives.WriteUInt16BigEndian(payload, min);
        BinaryPrimitives.WriteUInt16BigEndian(payload.AsSpan(2), max);
        return payload;
    }

    private static byte[] U32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }
}
