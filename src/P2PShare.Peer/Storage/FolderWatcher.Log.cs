using Microsoft.Extensions.Logging;

namespace P2PShare.Peer.Storage;

internal sealed partial class FolderWatcher
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 5030, Level = LogLevel.Information, Message = "Auto-share: {Kind} {Path}")]
        public static partial void Change(ILogger logger, FolderChangeKind kind, string path);

        [LoggerMessage(EventId = 5031, Level = LogLevel.Warning, Message = "Auto-share: scan of {DataDir} failed ({Reason}); will retry")]
        public static partial void ScanFailed(ILogger logger, string dataDir, string reason);

        [LoggerMessage(EventId = 5032, Level = LogLevel.Warning, Message = "Auto-share: not sharing: {Reason}")]
        public static partial void Unreadable(ILogger logger, string reason);

        [LoggerMessage(EventId = 5033, Level = LogLevel.Warning,
            Message = "Auto-share: file-system watcher problem ({Reason}); relying on the periodic rescan")]
        public static partial void WatcherError(ILogger logger, string reason);
    }
}
