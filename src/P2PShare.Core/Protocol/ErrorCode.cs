namespace P2PShare.Core.Protocol;

/// <summary>Why a peer ends a connection with an <see cref="Messages.Error"/> frame (listed in docs/protocol.md).</summary>
public enum ErrorCode : ushort
{
    /// <summary>A message arrived that the protocol does not allow at this point (e.g. anything before Hello).</summary>
    ProtocolViolation = 1,

    /// <summary>The two Hello messages share no protocol version.</summary>
    UnsupportedVersion = 2,

    /// <summary>A frame could not be decoded (bad type, bad length, bad content).</summary>
    MalformedFrame = 3,

    /// <summary>The peer ID in Hello is not the one the secure channel authenticated.</summary>
    IdentityMismatch = 4,

    /// <summary>The peer has too many connections or is shutting down; try again later.</summary>
    Unavailable = 5,

    /// <summary>The sender hit a bug; the receiver should simply reconnect later.</summary>
    Internal = 6,
}
