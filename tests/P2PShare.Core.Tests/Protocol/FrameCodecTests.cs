using System.Buffers;
using System.Runtime.InteropServices;
using P2PShare.Core.Protocol;
using P2PShare.Core.Protocol.Framing;
using P2PShare.Core.Protocol.Messages;

namespace P2PShare.Core.Tests.Protocol;

public sealed class FrameCodecTests
{
    [Fact]
    public void Samples_CoverEveryMessageType()
    {
        Assert.Equal(Enum.GetValues<MessageType>().Order(), SampleMessages.All().Select(m => m.Type).Order());
    }

    [Theory]
    [MemberData(nameof(SampleMessages.Types), MemberType = typeof(SampleMessages))]
    public void ReadAsync_EncodedMessage_DecodesToTheSameMessage(MessageType type)
    {
        var message = SampleMessages.Of(type);
        var bytes = WireBytes.Encode(message);
        Assert.Equal(bytes.Length - 4, (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes));
        Assert.Equal((byte)type, bytes[4]);

        var reader = WireBytes.ReaderOver(bytes);
        using var result = reader.ReadNow();
        Assert.Equal(FrameReadStatus.Message, result.Status);
        SampleMessages.AssertSame(message, result.Message);
        Assert.Equal(FrameReadStatus.EndOfStream, reader.ReadNow().Status);
    }

    [Fact]
    public void Encode_Have_IsTheDocumentedByteLayout()
    {
        var bytes = WireBytes.Encode(new Have(SampleMessages.FileId, 0x01020304));
        Assert.Equal("00000025" + "05" + SampleMessages.FileId + "01020304", Convert.ToHexStringLower(bytes));
    }

    [Fact]
    public void Encode_Hello_IsTheDocumentedByteLayout()
    {
        var bytes = WireBytes.Encode(new Hello(1, 3, SampleMessages.PeerId, 6881, "ab"));
        Assert.Equal("0000001e" + "01" + "0001" + "0003" + SampleMessages.PeerId + "1ae1" + "02" + "6162", Convert.ToHexStringLower(bytes));
    }

    [Fact]
    public void Decode_HelloWithTrailingExtensionBytes_IgnoresThem()
    {
        var hello = WireBytes.Encode(new Hello(1, 2, SampleMessages.PeerId, 1, "x"))[5..];
        var (messages, end) = WireBytes.ReadAll(WireBytes.Frame(1, [.. hello, 9, 9, 9]));
        Assert.Equal(new Hello(1, 2, SampleMessages.PeerId, 1, "x"), Assert.Single(messages));
        Assert.Equal(FrameReadStatus.EndOfStream, end.Status);
    }

    [Fact]
    public void Decode_BitfieldBits_AreMostSignificantBitFirst()
    {
        var bitfield = Bitfield.Create(SampleMessages.FileId, 10, i => i is 0 or 9);
        Assert.Equal([0x80, 0x40], bitfield.Bits.ToArray());
        var decoded = (Bitfield)WireBytes.ReadAll(WireBytes.Encode(bitfield)).Messages.Single();
        Assert.True(decoded.Has(0) && decoded.Has(9) && !decoded.Has(1));
    }

    [Fact]
    public void Encode_ErrorMessageLongerThanLimit_IsCutAtACharacterBoundary()
    {
        var bytes = WireBytes.Encode(new Error(ErrorCode.Internal, new string('é', 600)));
        Assert.Equal(FrameLimits.HeaderLength + 2 + 1024, bytes.Length); // 512 two-byte characters
        var error = (Error)WireBytes.ReadAll(bytes).Messages.Single();
        Assert.Equal(new string('é', RemoteText.MaxLength) + "…", error.Message); // and cut again for logging
    }

    [Fact]
    public void Encode_MessageOutsideProtocolLimits_IsABug()
    {
        var tooBig = new Piece(SampleMessages.FileId, 0, new byte[Piece.MaxDataLength + 1]);
        Assert.Throws<ArgumentException>(() => WireBytes.Encode(tooBig));
        Assert.Throws<ArgumentException>(() => WireBytes.Encode(new Have("not-hex", 1)));
        Assert.Throws<ArgumentException>(() => WireBytes.Encode(new Manifest(SampleMessages.FileId, 10, 5, new byte[6])));
    }

    [Fact]
    public void ReadAsync_SeveralFramesInOneBuffer_ReturnsThemInOrder()
    {
        var all = SampleMessages.All();
        var (messages, end) = WireBytes.ReadAll(WireBytes.Encode(all));
        Assert.Equal(all.Select(m => m.Type), messages.Select(m => m.Type));
        Assert.Equal(FrameReadStatus.EndOfStream, end.Status);
    }

    [Fact]
    public void Dispose_PieceResult_ReturnsTheBufferOnlyOnce()
    {
        var reader = WireBytes.ReaderOver(WireBytes.Encode(SampleMessages.Of(MessageType.Piece)));
        var result = reader.ReadNow();
        Assert.True(MemoryMarshal.TryGetArray(((Piece)result.Message!).Data, out var segment));
        byte[] lease = segment.Array!;

        result.Dispose();
        result.Dispose();

        // A buffer returned twice sits in the pool twice and would be rented to two owners at once. Everything here
        // runs on one thread, so the first rent takes the returned buffer back from this thread's cache.
        var rented = Enumerable.Range(0, 16).Select(_ => ArrayPool<byte>.Shared.Rent(lease.Length)).ToList();
        try
        {
            Assert.Equal(1, rented.Count(array => ReferenceEquals(array, lease)));
        }
        finally
        {
            foreach (var array in rented.Distinct(ReferenceEqualityComparer.Instance).Cast<byte[]>())
            {
                ArrayPool<byte>.Shared.Return(array);
            }
        }
    }

    [Fact]
    public void Negotiate_OverlappingRanges_PicksHighestCommonVersion()
    {
        Assert.Equal((ushort)3, ProtocolVersions.Negotiate(1, 3, 2, 5));
        Assert.Equal((ushort)1, ProtocolVersions.Negotiate(1, 1, 1, 4));
        Assert.Null(ProtocolVersions.Negotiate(1, 1, 2, 3));
    }
}
