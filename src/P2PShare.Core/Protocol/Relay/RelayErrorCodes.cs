namespace P2PShare.Core.Protocol.Relay;

/// <summary>The <see cref="RelayMessage.Code"/> values of an error message.</summary>
public static class RelayErrorCodes
{
    /// <summary>The target is not registered with the tracker (or has expired).</summary>
    public const string UnknownPeer = "unknown_peer";

    /// <summary>The target is registered but has no relay control socket open, so it cannot be invited.</summary>
    public const string NotAccepting = "not_accepting";

    /// <summary>A tunnel limit (global or per peer) is reached; try again later.</summary>
    public const string Limit = "limit";

    /// <summary>The target did not join the tunnel in time.</summary>
    public const string Timeout = "timeout";

    /// <summary>The message was not understood (missing field, a peer asking for itself).</summary>
    public const string BadRequest = "bad_request";

    /// <summary>A punch was asked for but one side has no fresh UDP rendezvous observation (no UDP socket, or rendezvous off).</summary>
    public const string NoUdp = "no_udp";
}
