using P2PShare.Core.Protocol.Messages;

namespace P2PShare.Peer.P2P;

/// <summary>Reassembles a manifest that a peer sends in pages; pages must arrive in order and agree on the length.</summary>
internal sealed class ManifestDownload
{
    /// <summary>The largest manifest accepted from a peer (a 4 TiB file's chunk list).</summary>
    public const int MaxLength = 1 << 30;

    private byte[]? _json;
    private int _received;

    public TaskCompletionSource<byte[]?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Adds a page; returns the next offset to ask for, or null when done or when the page is unusable.</summary>
    public int? Add(Manifest page)
    {
        if (page.TotalLength > MaxLength || (_json is not null && _json.Length != page.TotalLength) || page.Offset != _received)
        {
            Completion.TrySetResult(null);
            return null;
        }

        _json ??= new byte[page.TotalLength];
        page.Data.CopyTo(_json.AsMemory(_received));
        _received += page.Data.Length;
        if (_received == _json.Length)
        {
            Completion.TrySetResult(_json);
            return null;
        }

        if (page.Data.Length == 0)
        {
            Completion.TrySetResult(null);
            return null;
        }

        return _received;
    }
}
