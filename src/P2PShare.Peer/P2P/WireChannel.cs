using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using P2PShare.Core.Crypto;
using P2PShare.Peer.Storage;

namespace P2PShare.Peer.P2P;

/// <summary>
/// The peer wire protocol over one secure stream, in the node's terms. Writes are serialised; reads happen on
/// the link's single read loop. Frames: uint32 length (BE, type + payload) | uint8 type | payload.
/// </summary>
internal sealed class WireChannel(SecureStream stream)
{
    public const int MaxFrame = (1 << 20) + 64;
    private const byte Version = 1;

    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly byte[] _header = new byte[5];

    public async Task ExchangeHelloAsync(string peerId, int listenPort, CancellationToken ct)
    {
        byte[] hello = new byte[1 + 20 + 2];
        hello[0] = Version;
        Convert.FromHexString(peerId, hello.AsSpan(1, 20), out _, out _);
        BinaryPrimitives.WriteUInt16BigEndian(hello.AsSpan(21), (ushort)listenPort);
        await WriteFrameAsync(1, hello, default, ct);
        var (type, payload, length) = await ReadFrameAsync(ct) ?? throw new IOException("peer closed before Hello");
        try
        {
            if (type != 1 || length < 1 || payload[0] != Version)
            {
                throw new IOException("peer did not send a compatible Hello");
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(payload);
        }
    }

    public async ValueTask<WireFrame> ReadAsync(CancellationToken ct)
    {
        (byte Type, byte[] Payload, int Length)? frame;
        try
        {
            frame = await ReadFrameAsync(ct);
        }
        catch (InvalidDataException ex)
        {
            return WireFrame.Malformed(ex.Message);
        }

        if (frame is not { } f)
        {
            return WireFrame.End;
        }

        bool keep = false;
        try
        {
            var p = f.Payload.AsSpan(0, f.Length);
            if (f.Type == 0)
            {
                return new WireFrame(WireFrameKind.KeepAlive);
            }

            if (f.Type == 10)
            {
                return new WireFrame(WireFrameKind.Error) { ErrorMessage = Encoding.UTF8.GetString(p) };
            }

            if (p.Length < 32)
            {
                return WireFrame.Malformed($"frame type {f.Type} too short");
            }

            string fileId = Convert.ToHexStringLower(p[..32]);
            var rest = p[32..];
            switch (f.Type)
            {
                case 2:
                    if (rest.Length < 4)
                    {
                        return WireFrame.Malformed("bitfield too short");
                    }

                    int count = BinaryPrimitives.ReadInt32BigEndian(rest);
                    var bitmap = count >= 0 ? ChunkBitmap.FromBytes(rest[4..], count) : null;
                    return bitmap is null ? WireFrame.Malformed("bad bitfield") : new WireFrame(WireFrameKind.Bitfield) { FileId = fileId, Bitfield = bitmap };
                case 3 or 6 or 8 or 9:
                    if (rest.Length < 4)
                    {
                        return WireFrame.Malformed("index missing");
                    }

                    var kind = f.Type switch { 3 => WireFrameKind.Have, 6 => WireFrameKind.Request, 8 => WireFrameKind.Cancel, _ => WireFrameKind.Reject };
                    return new WireFrame(kind) { FileId = fileId, Index = BinaryPrimitives.ReadInt32BigEndian(rest) };
                case 7:
                    if (rest.Length < 4)
                    {
                        return WireFrame.Malformed("piece index missing");
                    }

                    int index = BinaryPrimitives.ReadInt32BigEndian(rest);
                    keep = true;
                    return new WireFrame(WireFrameKind.Piece) { FileId = fileId, Index = index, Piece = new PieceData(f.Payload, 36, f.Length - 36) };
                case 4:
                    return new WireFrame(WireFrameKind.ManifestRequest) { FileId = fileId };
                case 5:
                    return new WireFrame(WireFrameKind.Manifest) { FileId = fileId, ManifestJson = rest.ToArray() };
                default:
                    return WireFrame.Malformed($"unknown message type {f.Type}");
            }
        }
        finally
        {
            if (!keep)
            {
                ArrayPool<byte>.Shared.Return(f.Payload);
            }
        }
    }

    public ValueTask SendBitfieldAsync(string fileId, ChunkBitmap bitmap, CancellationToken ct)
    {
        byte[] payload = new byte[32 + 4 + bitmap.ByteLength];
        Convert.FromHexString(fileId, payload.AsSpan(0, 32), out _, out _);
        BinaryPrimitives.WriteInt32BigEndian(payload.AsSpan(32), bitmap.Count);
        bitmap.CopyTo(payload.AsSpan(36));
        return new ValueTask(WriteFrameAsync(2, payload, default, ct));
    }

    public ValueTask SendHaveAsync(string fileId, int index, CancellationToken ct) => SendIndexed(3, fileId, index, ct);

    public ValueTask SendRequestAsync(string fileId, int index, CancellationToken ct) => SendIndexed(6, fileId, index, ct);

    public ValueTask SendCancelAsync(string fileId, int index, CancellationToken ct) => SendIndexed(8, fileId, index, ct);

    public ValueTask SendRejectAsync(string fileId, int index, RejectReason reason, CancellationToken ct) => SendIndexed(9, fileId, index, ct);

    public ValueTask SendPieceAsync(string fileId, int index, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        byte[] head = new byte[36];
        Convert.FromHexString(fileId, head.AsSpan(0, 32), out _, out _);
        BinaryPrimitives.WriteInt32BigEndian(head.AsSpan(32), index);
        return new ValueTask(WriteFrameAsync(7, head, data, ct));
    }

    public ValueTask SendManifestRequestAsync(string fileId, CancellationToken ct) => new(WriteFrameAsync(4, Convert.FromHexString(fileId), default, ct));

    public ValueTask SendManifestAsync(string fileId, byte[] json, CancellationToken ct) => new(WriteFrameAsync(5, Convert.FromHexString(fileId), json, ct));

    public ValueTask SendKeepAliveAsync(CancellationToken ct) => new(WriteFrameAsync(0, ReadOnlyMemory<byte>.Empty, default, ct));

    public async Task TrySendErrorAsync(string message, CancellationToken ct)
    {
        try
        {
            await WriteFrameAsync(10, Encoding.UTF8.GetBytes(message), default, ct);
        }
        catch (Exception ex) when (ex is IOException or SecureChannelException or ObjectDisposedException)
        {
        }
    }

    private ValueTask SendIndexed(byte type, string fileId, int index, CancellationToken ct)
    {
        byte[] payload = new byte[36];
        Convert.FromHexString(fileId, payload.AsSpan(0, 32), out _, out _);
        BinaryPrimitives.WriteInt32BigEndian(payload.AsSpan(32), index);
        return new ValueTask(WriteFrameAsync(type, payload, default, ct));
    }

    private async Task WriteFrameAsync(byte type, ReadOnlyMemory<byte> first, ReadOnlyMemory<byte> second, CancellationToken ct)
    {
        await _writeLock.WaitAsync(ct);
        try
        {
            byte[] header = new byte[5 + first.Length];
            BinaryPrimitives.WriteUInt32BigEndian(header, (uint)(1 + first.Length + second.Length));
            header[4] = type;
            first.CopyTo(header.AsMemory(5));
            await stream.WriteAsync(header, second, ct);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task<(byte Type, byte[] Payload, int Length)?> ReadFrameAsync(CancellationToken ct)
    {
        byte[] header = new byte[5];
        int got = await stream.ReadAtLeastAsync(header, 5, throwOnEndOfStream: false, ct);
        if (got == 0)
        {
            return null;
        }

        if (got < 5)
        {
            throw new InvalidDataException("stream ended inside a frame header");
        }

        uint length = BinaryPrimitives.ReadUInt32BigEndian(header);
        if (length < 1 || length > MaxFrame)
        {
            throw new InvalidDataException($"frame length {length} outside 1..{MaxFrame}");
        }

        int payloadLength = (int)length - 1;
        byte[] payload = ArrayPool<byte>.Shared.Rent(Math.Max(1, payloadLength));
        if (await stream.ReadAtLeastAsync(payload.AsMemory(0, payloadLength), payloadLength, throwOnEndOfStream: false, ct) < payloadLength)
        {
            ArrayPool<byte>.Shared.Return(payload);
            throw new InvalidDataException("stream ended inside a frame");
        }

        return (header[4], payload, payloadLength);
    }
}
