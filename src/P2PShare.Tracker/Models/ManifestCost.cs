using P2PShare.Core.Manifests;

namespace P2PShare.Tracker.Models;

/// <summary>
/// What a catalogued manifest counts against <c>MAX_MANIFEST_BYTES</c>: 64 bytes per chunk hash plus the name's
/// length, about its JSON size. The memory it takes in the tracker is roughly 2.5 times this.
/// </summary>
internal static class ManifestCost
{
    public const int PerChunkHash = 64;

    public static long Of(FileManifest manifest) => ((long)PerChunkHash * manifest.ChunkHashes.Count) + manifest.Name.Length;
}
