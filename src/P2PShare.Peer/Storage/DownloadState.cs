namespace P2PShare.Peer.Storage;

/// <summary>Where a download stands; stored in state.db by name in lowercase.</summary>
internal enum DownloadState
{
    /// <summary>Wanted and being fetched (or to be resumed at start).</summary>
    Active,

    /// <summary>Kept with its verified chunks, but not being fetched.</summary>
    Paused,

    /// <summary>Every chunk verified and the file moved into place at <see cref="DownloadRecord.FinalPath"/>.</summary>
    Completed,

    /// <summary>Stopped by an error that needs the user (see <see cref="DownloadRecord.Error"/>).</summary>
    Failed,
}
