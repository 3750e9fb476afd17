using System.Text.Json;
using P2PShare.Core.Manifests;

namespace P2PShare.Peer.P2P;

/// <summary>
/// The JSON of recently served manifests, serialised once per file rather than once per ManifestRequest page. Holds
/// at most <see cref="Capacity"/> manifests; the least recently used one leaves first. A file's ID is the hash of its
/// content, so an entry never goes stale: a changed file has a new ID.
/// </summary>
internal sealed class ManifestBytesCache
{
    public const int Capacity = 8;

    private readonly Lock _gate = new();
    private readonly LinkedList<(string FileId, byte[] Json)> _entries = [];

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    public byte[]? Find(string fileId)
    {
        lock (_gate)
        {
            for (var node = _entries.First; node is not null; node = node.Next)
            {
                if (node.Value.FileId == fileId)
                {
                    _entries.Remove(node);
                    _entries.AddFirst(node);
                    return node.Value.Json;
                }
            }
        }

        return null;
    }

    /// <summary>Serialises <paramref name="manifest"/>, keeps the bytes, and returns them.</summary>
    public byte[] Add(FileManifest manifest)
    {
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(manifest);
        lock (_gate)
        {
            _entries.AddFirst((manifest.Hash, json));
            if (_entries.Count > Capacity)
            {
                _entries.RemoveLast();
            }
        }

        return json;
    }
}
