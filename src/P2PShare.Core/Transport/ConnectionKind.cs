namespace P2PShare.Core.Transport;

/// <summary>How a peer connection reached the other side (DESIGN §1: direct TCP, then hole punch, then relay).</summary>
public enum ConnectionKind
{
    Direct,
    HolePunch,
    Relay,
}
