using P2PShare.Core.Protocol.Messages;

namespace P2PShare.Core.Protocol.Framing;

/// <summary>Size limits of the peer-wire framing (docs/protocol.md, "Frames").</summary>
public static class FrameLimits
{
    /// <summary>Bytes of the length prefix.</summary>
    public const int LengthPrefix = 4;

    /// <summary>Bytes before the payload: the length prefix and the type byte.</summary>
    public const int HeaderLength = LengthPrefix + 1;

    /// <summary>Largest value of the length field (type byte + payload): 1 MiB. Larger claims end the connection.</summary>
    public const int MaxFrameLength = 1024 * 1024;

    /// <summary>Most manifest bytes one Manifest frame carries; bigger manifests travel in pages.</summary>
    public const int MaxManifestPage = 512 * 1024;

    /// <summary>Largest Hello payload (version 1 uses 27 + agent bytes; later versions may append fields).</summary>
    public const int MaxHelloPayload = 1024;

    /// <summary>Smallest and largest payload a frame of <paramref name="type"/> may declare; null for unknown types.</summary>
    public static (int Min, int Max)? PayloadBounds(MessageType type) => type switch
    {
        MessageType.Hello => (Hello.MinPayloadLength, MaxHelloPayload),
        MessageType.KeepAlive => (0, 0),
        MessageType.Error => (2, 2 + Error.MaxMessageBytes),
        MessageType.Bitfield => (Bitfield.HeaderLength, MaxFrameLength - 1),
        MessageType.Have or MessageType.Request or MessageType.Cancel or MessageType.ManifestRequest => (FileIndexLayout.Length, FileIndexLayout.Length),
        MessageType.Manifest => (Manifest.HeaderLength, Manifest.HeaderLength + MaxManifestPage),
        MessageType.Piece => (FileIndexLayout.Length + 1, FileIndexLayout.Length + Piece.MaxDataLength),
        MessageType.Reject => (FileIndexLayout.Length + 1, FileIndexLayout.Length + 1),
        _ => null,
    };
}
