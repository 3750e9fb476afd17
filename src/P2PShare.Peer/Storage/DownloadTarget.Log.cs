using Microsoft.Extensions.Logging;

namespace P2PShare.Peer.Storage;

internal sealed partial class DownloadTarget
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 5020, Level = LogLevel.Information, Message = "Download {FileId} complete: {FinalPath}")]
        public static partial void Completed(ILogger logger, string fileId, string finalPath);

        [LoggerMessage(EventId = 5021, Level = LogLevel.Information,
            Message = "Download {FileId}: found an unknown partial file and recovered {Recovered} of {Total} chunks from it")]
        public static partial void RecoveredChunks(ILogger logger, string fileId, int recovered, int total);

        [LoggerMessage(EventId = 5022, Level = LogLevel.Warning,
            Message = "Download {FileId}: partial file unusable ({Problem}); starting it again from nothing")]
        public static partial void PartialLost(ILogger logger, string fileId, string problem);

        [LoggerMessage(EventId = 5023, Level = LogLevel.Warning,
            Message = "Download {FileId}: could not record the last chunks on close ({Reason}); they will be fetched again")]
        public static partial void FinalCommitFailed(ILogger logger, string fileId, string reason);
    }
}
