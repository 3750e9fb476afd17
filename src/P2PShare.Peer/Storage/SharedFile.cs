namespace P2PShare.Peer.Storage;

/// <summary>A local file in the index: where it is, the size and mtime it had when hashed, and its file ID.</summary>
/// <param name="ModifiedTicks">Last write time in UTC ticks, as <see cref="File.GetLastWriteTimeUtc(string)"/> reports it.</param>
/// <param name="Shared">False when the user withdrew it; it stays indexed so it is not hashed again.</param>
internal sealed record SharedFile(string FullPath, long Size, long ModifiedTicks, string FileId, string Name, bool Shared);
