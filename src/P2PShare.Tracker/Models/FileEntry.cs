using System.Collections.Concurrent;
using P2PShare.Core.Manifests;

namespace P2PShare.Tracker.Models;

/// <summary>A catalogued file: its manifest (fixed by the first announce) and who holds it.</summary>
internal sealed class FileEntry(FileManifest manifest, DateTimeOffset announcedAt)
{
    public FileManifest Manifest { get; } = manifest;

    public string Hash => Manifest.Hash;

    public DateTimeOffset AnnouncedAt { get; } = announcedAt;

    /// <summary>Holders by peer ID. Readers may enumerate freely; the catalogue serialises writers.</summary>
    public ConcurrentDictionary<string, FileHolding> Holders { get; } = new(StringComparer.Ordinal);
}
