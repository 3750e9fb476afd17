using System.Runtime.InteropServices;
using System.Security.Cryptography;
using P2PShare.Core.Protocol.Framing;
using P2PShare.Core.Protocol.Messages;
using P2PShare.Core.Tests.Crypto;

namespace P2PShare.Core.Tests.Protocol;

/// <summary>Piece bodies read from the source stream past the pipe (FrameReader.Create), including the ways that can end.</summary>
public sealed class FrameReaderBodiesTests
{
    [Fact]
    public async Task ReadAsync_PiecesArrivingInSmallReads_IntactInOrderAndDataAligned()
    {
        using var timeout = TestTimeout.Create();
        byte[] big = RandomNumberGenerator.GetBytes(Piece.MaxDataLength);
        byte[] small = RandomNumberGenerator.GetBytes(100);
        var wire = WireBytes.Encode(
            new Piece(SampleMessages.FileId, 0, big), new Have(SampleMessages.FileId, 7), new Piece(SampleMessages.FileId, 1, small), KeepAlive.Instance);
        await using var reader = FrameReader.Create(new TrickleStream(wire, maxRead: 1000));

        using var first = await reader.ReadAsync(timeout.Token);
        using var have = await reader.ReadAsync(timeout.Token);
        using var second = await reader.ReadAsync(timeout.Token);
        using var keepAlive = await reader.ReadAsync(timeout.Token);
        using var end = await reader.ReadAsync(timeout.Token);

        var piece = Assert.IsType<Piece>(first.Message);
        Assert.Equal(big, piece.Data.ToArray());
        Assert.Equal(0, AddressOf(piece.Data) % 4096);
        Assert.Equal(7, Assert.IsType<Have>(have.Message).Index);
        Assert.Equal(small, Assert.IsType<Piece>(second.Message).Data.ToArray());
        Assert.IsType<KeepAlive>(keepAlive.Message);
        Assert.Equal(FrameReadStatus.EndOfStream, end.Status);
    }

    [Fact]
    public async Task ReadAsync_StreamEndsInsidePieceBody_MalformedEveryTime()
    {
        using var timeout = TestTimeout.Create();
        var wire = WireBytes.Encode(new Piece(SampleMessages.FileId, 0, new byte[Piece.MaxDataLength]));
        await using var reader = FrameReader.Create(new TrickleStream(wire[..200_000], maxRead: 70_000));

        var result = await reader.ReadAsync(timeout.Token);
        var again = await reader.ReadAsync(timeout.Token);

        Assert.Equal(FrameReadStatus.Malformed, result.Status);
        Assert.Contains("ended inside a frame", result.Reason);
        Assert.Same(result, again);
    }

    [Fact]
    public async Task ReadAsync_TransportFailsInsidePieceBody_TransportFailed()
    {
        using var timeout = TestTimeout.Create();
        var wire = WireBytes.Encode(new Piece(SampleMessages.FileId, 0, new byte[Piece.MaxDataLength]));
        await using var reader = FrameReader.Create(new TrickleStream(wire, maxRead: 70_000, failAt: 150_000));

        var result = await reader.ReadAsync(timeout.Token);

        Assert.Equal(FrameReadStatus.TransportFailed, result.Status);
        Assert.Contains("connection reset", result.Reason);
    }

    [Fact]
    public async Task ReadAsync_CancelledInsidePieceBody_ThrowsThenEveryReadFails()
    {
        using var timeout = TestTimeout.Create();
        var wire = WireBytes.Encode(new Piece(SampleMessages.FileId, 0, new byte[Piece.MaxDataLength]), KeepAlive.Instance);
        await using var reader = FrameReader.Create(new TrickleStream(wire, maxRead: 70_000, stallAt: 150_000));
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);

        var reading = reader.ReadAsync(cancel.Token).AsTask();
        cancel.CancelAfter(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading);
        var after = await reader.ReadAsync(timeout.Token); // never the rest of the body taken for a new frame
        Assert.Equal(FrameReadStatus.TransportFailed, after.Status);
    }

    private static long AddressOf(ReadOnlyMemory<byte> memory)
    {
        Assert.True(MemoryMarshal.TryGetArray(memory, out var segment));
        using var pin = memory.Pin();
        return Marshal.UnsafeAddrOfPinnedArrayElement(segment.Array!, segment.Offset);
    }

    /// <summary>
    /// Hands out <c>bytes</c> at most <c>maxRead</c> at a time; throws once the position reaches <c>failAt</c>, and waits
    /// for cancellation once it reaches <c>stallAt</c>.
    /// </summary>
    private sealed class TrickleStream(byte[] bytes, int maxRead, int failAt = int.MaxValue, int stallAt = int.MaxValue) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_position >= failAt)
            {
                throw new IOException("connection reset");
            }

            int count = Math.Min(Math.Min(buffer.Length, maxRead), bytes.Length - _position);
            bytes.AsSpan(_position, count).CopyTo(buffer);
            _position += count;
            return count;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_position >= stallAt)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            return Read(buffer.Span);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
