namespace P2PShare.Core.Protocol.Relay;

/// <summary>Sizes both ends of the relay agree on.</summary>
public static class RelayLimits
{
    /// <summary>Largest control message (JSON text); a larger one closes the socket with 1009.</summary>
    public const int MaxControlMessageBytes = 4096;

    /// <summary>
    /// The relay forwards tunnel data in pieces of at most this many bytes. Each direction holds at most two: one
    /// being received while the one before it is sent, so at most 64 KiB per direction is buffered on the tracker.
    /// </summary>
    public const int SplicePieceBytes = 32 * 1024;

    /// <summary>Query parameter naming the peer on <c>/relay</c>.</summary>
    public const string PeerIdParameter = "peer_id";

    /// <summary>Query parameter naming the tunnel a tunnel socket joins.</summary>
    public const string TunnelParameter = "tunnel";

    public const string Path = "/relay";
}
