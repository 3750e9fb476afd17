using P2PShare.Core.Protocol;
using P2PShare.Core.Protocol.Framing;
using P2PShare.Core.Protocol.Messages;

namespace P2PShare.Core.Tests.Protocol;

public sealed class FrameBatchTests
{
    [Fact]
    public async Task WriteSmallAsync_SeveralFrames_OneWriteThatDecodesInOrder()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var stream = new CountingWrites();
        using var writer = new FrameWriter(stream);
        PeerMessage[] batch = [new Have(SampleMessages.FileId, 1), new Request(SampleMessages.FileId, 7), new Have(SampleMessages.FileId, 2), KeepAlive.Instance];

        await writer.WriteSmallAsync(batch, timeout.Token);

        Assert.Equal(1, stream.Writes);
        Assert.Equal(WireBytes.Encode(batch), stream.ToArray());
        var (messages, end) = WireBytes.ReadAll(stream.ToArray());
        Assert.Equal(batch, messages);
        Assert.Equal(FrameReadStatus.EndOfStream, end.Status);
    }

    [Fact]
    public async Task WriteSmallAsync_ALargeBody_RefusedBeforeAnythingIsSent()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var stream = new CountingWrites();
        using var writer = new FrameWriter(stream);
        var piece = new Piece(SampleMessages.FileId, 0, new byte[5000]);

        await Assert.ThrowsAsync<ArgumentException>(() => writer.WriteSmallAsync([new Have(SampleMessages.FileId, 1), piece], timeout.Token).AsTask());

        Assert.Equal(0, stream.Length);
    }

    /// <summary>A memory stream that counts the writes it receives.</summary>
    private sealed class CountingWrites : MemoryStream
    {
        public int Writes { get; private set; }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Writes++;
            return base.WriteAsync(buffer, cancellationToken);
        }
    }
}
