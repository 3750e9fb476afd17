using Microsoft.Extensions.Logging;

namespace P2PShare.Peer.Storage;

internal sealed partial class StateDatabase
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 5001, Level = LogLevel.Warning,
            Message = "{Path} was damaged ({Reason}); moved it to {MovedTo} and started a fresh state database")]
        public static partial void MovedCorruptDatabase(ILogger logger, string path, string movedTo, string reason);
    }
}
