namespace P2PShare.Peer.Storage;

/// <summary>
/// What <see cref="FolderScanner"/> found different from the index: <see cref="Current"/> is the file's stamp on
/// disk (null when Removed), <see cref="Indexed"/> the index entry (null when Added).
/// </summary>
internal sealed record ScanDifference(FolderChangeKind Kind, string FullPath, FileStamp? Current, SharedFile? Indexed);
