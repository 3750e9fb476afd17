namespace P2PShare.Core.Protocol.Relay;

/// <summary>
/// WebSocket close codes the relay uses besides the standard ones (1000 normal, 1001 going away, 1009 too big,
/// 1011 internal error). 4000–4999 is the range RFC 6455 leaves to applications.
/// </summary>
public static class RelayCloseCodes
{
    /// <summary>The peer broke the protocol: binary or unparsable data on a control socket, text on a tunnel.</summary>
    public const int ProtocolError = 4000;

    /// <summary>A newer control socket of the same peer replaced this one.</summary>
    public const int Replaced = 4001;

    /// <summary>The tunnel does not exist (never did, expired, or already has both ends).</summary>
    public const int UnknownTunnel = 4004;

    /// <summary>The other end did not join in time, or the tunnel was idle for the idle timeout.</summary>
    public const int Timeout = 4008;

    /// <summary>The other end's connection failed without a close of its own.</summary>
    public const int PeerLost = 4009;

    /// <summary>The control socket sent requests faster than it read the answers.</summary>
    public const int TooSlow = 4029;
}
