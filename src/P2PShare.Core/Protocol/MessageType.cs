namespace P2PShare.Core.Protocol;

/// <summary>
/// The type byte of every peer-wire frame. docs/protocol.md lists the same values; a test keeps the two in step.
/// Values never change meaning; new messages take new values.
/// </summary>
public enum MessageType : byte
{
    Hello = 1,
    KeepAlive = 2,
    Error = 3,
    Bitfield = 4,
    Have = 5,
    ManifestRequest = 6,
    Manifest = 7,
    Request = 8,
    Piece = 9,
    Cancel = 10,
    Reject = 11,
}
