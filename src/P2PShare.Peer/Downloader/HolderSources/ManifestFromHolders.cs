using System.Text;
using P2PShare.Core.Manifests;
using P2PShare.Peer.Connection;

namespace P2PShare.Peer.Downloader.HolderSources;

/// <summary>
/// A file's manifest from the holders themselves (ManifestRequest, docs/protocol.md §1.8), for when the tracker
/// cannot give it. Whatever a holder sends is parsed, validated and must hash to the file ID (the Merkle root of its
/// chunk hashes), so a lying holder costs one attempt and the next holder is asked.
/// </summary>
internal sealed class ManifestFromHolders(HolderLists holders, ConnectionManager connections, string selfPeerId)
{
    /// <summary>About 67 bytes of JSON per chunk: 32 MiB covers files well past 100 GiB, and bounds what one holder can make us buffer.</summary>
    public const int MaxManifestBytes = 32 * 1024 * 1024;

    /// <summary>Holders tried per attempt; each costs a dial and one manifest's worth of traffic at most.</summary>
    public const int MaxHoldersTried = 4;

    /// <summary>The verified manifest, or null with the reason no holder gave one.</summary>
    public async Task<(FileManifest? Manifest, string Reason)> FetchAsync(string fileId, CancellationToken ct)
    {
        var found = await holders.FindAsync(fileId, ct);
        var candidates = found.Holders.Where(h => h.PeerId != selfPeerId).Take(MaxHoldersTried).ToList();
        if (candidates.Count == 0)
        {
            string why = found.Failures.Count > 0 ? string.Join("; ", found.Failures) : "no source lists a holder";
            return (null, $"no holder of {fileId} found ({why})");
        }

        var reasons = new List<string>();
        foreach (var holder in candidates)
        {
            try
            {
                var link = await connections.GetLinkAsync(holder.Contact, ct);
                byte[] json = await link.FetchManifestJsonAsync(fileId, MaxManifestBytes, ct);
                if (Verify(fileId, json, out var manifest, out string? error))
                {
                    return (manifest, "");
                }

                reasons.Add($"{holder.PeerId}: {error}");
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                reasons.Add($"{holder.PeerId}: {ex.Message}");
            }
        }

        return (null, $"no holder gave a valid manifest of {fileId} ({string.Join("; ", reasons)})");
    }

    /// <summary>Parses and validates the JSON and checks it names and hashes to <paramref name="fileId"/>.</summary>
    public static bool Verify(string fileId, byte[] json, out FileManifest? manifest, out string? error)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(json);
        }
        catch (DecoderFallbackException)
        {
            (manifest, error) = (null, "manifest is not UTF-8");
            return false;
        }

        if (!ManifestJson.TryParse(text, out manifest, out error))
        {
            return false;
        }

        string named = manifest!.Hash;
        if (!string.Equals(named, fileId, StringComparison.OrdinalIgnoreCase))
        {
            (manifest, error) = (null, $"sent the manifest of {named}");
            return false;
        }

        return true;
    }
}
