using P2PShare.Core.Chunking;
using P2PShare.Core.Manifests;
using P2PShare.Peer.Storage;

namespace P2PShare.Peer.P2P;

/// <summary>What this node can give other peers: whole shared files and the verified chunks of downloads.</summary>
internal sealed class LocalHoldings(SharedFileIndex index, DownloadStore downloads, ChunkSource chunks, TimeProvider time)
{
    private readonly ManifestBytesCache _manifestJson = new();

    /// <summary>Which chunks of whole files each link is told of (see <see cref="RevealSchedule"/>).</summary>
    public RevealSchedule Reveals { get; } = new(time, new Random());

    /// <summary>True when this node holds all of <paramref name="fileId"/> as a shared file.</summary>
    public bool IsWhole(string fileId) => index.IsShared(fileId);

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
