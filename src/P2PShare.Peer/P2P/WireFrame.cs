using P2PShare.Peer.Storage;

namespace P2PShare.Peer.P2P;

internal enum WireFrameKind
{
    None,
    Bitfield,
    Have,
    Request,
    Piece,
    Cancel,
    Reject,
    ManifestRequest,
    Manifest,
    KeepAlive,
    Error,
}

/// <summary>One decoded message in the peer's terms (hex file IDs, bitmaps), or the end of the stream, or why it was malformed.</summary>
internal sealed record WireFrame(WireFrameKind Kind)
{
    public bool EndOfStream { get; init; }

    /// <summary>Set when the frame broke the protocol; the link closes.</summary>
    public string? Error { get; init; }

    public string? FileId { get; init; }

    public int Index { get; init; }

    public ChunkBitmap? Bitfield { get; init; }

    public PieceData? Piece { get; init; }

    public byte[]? ManifestJson { get; init; }

    public string? ErrorMessage { get; init; }

    public static WireFrame End { get; } = new(WireFrameKind.None) { EndOfStream = true };

    public static WireFrame Malformed(string reason) => new(WireFrameKind.None) { Error = reason };
}
