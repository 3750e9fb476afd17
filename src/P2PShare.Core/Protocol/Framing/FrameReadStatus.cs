namespace P2PShare.Core.Protocol.Framing;

/// <summary>What <see cref="FrameReader.ReadAsync"/> found.</summary>
public enum FrameReadStatus
{
    /// <summary>A complete, well-formed message.</summary>
    Message,

    /// <summary>The stream ended cleanly between frames.</summary>
    EndOfStream,

    /// <summary>The bytes are not a valid frame (bad type, bad length, bad content, or truncated); close the connection.</summary>
    Malformed,

    /// <summary>The transport failed (reset, or the secure channel detected tampering); close the connection.</summary>
    TransportFailed,
}
