using P2PShare.Core.Chunking;
using P2PShare.Core.Manifests;
using P2PShare.Peer.Storage;

namespace P2PShare.Peer.P2P;

/// <summary>What this node can give other peers: whole shared files and the verified chunks of downloads.</summary>
internal sealed class LocalHoldings(SharedFileIndex index, DownloadStore downloads, ChunkSource chunks, LinkDirectory links, TimeProvider time)
{
    private readonly FirstCopyGuard _firstCopies = new(time, links.IsFetching);
    private readonly ManifestBytesCache _manifestJson = new();

    /// <summary>
    /// Whether chunk <paramref name="chunkIndex"/> should go to <paramref name="peerId"/> now: always for chunks of
    /// partial downloads, and for whole files unless another peer was sent it moments ago (<see cref="FirstCopyGuard"/>).
    /// </summary>
    public bool MaySend(string fileId, int chunkIndex, string peerId) =>
        !index.IsShared(fileId) || _firstCopies.TryClaim(fileId, chunkIndex, peerId);

    /// <summary>The chunks this node holds of a file, or null when it holds none of it.</summary>
    public ChunkBitmap? Bitfield(string fileId)
    {
        if (index.FindById(fileId) is [var shared, ..])
        {
            var full = new ChunkBitmap(new ChunkLayout(shared.Size).ChunkCount);
            for (int i = 0; i < full.Count; i++)
            {
                full.Set(i);
            }

            return full;
        }

        return downloads.Find(fileId) is { State: not DownloadState.Completed } ? downloads.GetServableBitmap(fileId) : null;
    }

    public async Task<FileManifest?> ManifestAsync(string fileId, CancellationToken ct) =>
        await index.GetManifestAsync(fileId, ct) ?? downloads.Find(fileId)?.Manifest;

    /// <summary>The manifest's compact JSON as served in Manifest pages, serialised once and kept (bounded).</summary>
    public async Task<byte[]?> ManifestJsonAsync(string fileId, CancellationToken ct)
    {
        if ((index.IsShared(fileId) || downloads.Find(fileId) is not null) && _manifestJson.Find(fileId) is { } cached)
        {
            return cached;
        }

        return await ManifestAsync(fileId, ct) is { } manifest ? _manifestJson.Add(manifest) : null;
    }

    public ValueTask<ChunkReadResult> ReadChunkAsync(string fileId, int index, Memory<byte> buffer, CancellationToken ct) =>
        chunks.ReadChunkAsync(fileId, index, buffer, ct);
}
