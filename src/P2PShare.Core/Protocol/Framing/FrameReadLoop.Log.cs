using Microsoft.Extensions.Logging;

namespace P2PShare.Core.Protocol.Framing;

public static partial class FrameReadLoop
{
    /// <summary>Event IDs 4100–4199 belong to the peer-wire protocol.</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 4101, Level = LogLevel.Debug, Message = "Peer {PeerId} closed the connection")]
        public static partial void PeerClosed(ILogger logger, string peerId);

        [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Closing connection to peer {PeerId}: malformed frame: {Reason}")]
        public static partial void MalformedFrame(ILogger logger, string peerId, string reason);

        [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "Closing connection to peer {PeerId}: transport failed: {Reason}")]
        public static partial void TransportFailed(ILogger logger, string peerId, string reason);
    }
}
