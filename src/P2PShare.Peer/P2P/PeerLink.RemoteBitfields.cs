using P2PShare.Core.Protocol;
using P2PShare.Core.Protocol.Messages;
using P2PShare.Peer.Storage;

namespace P2PShare.Peer.P2P;

/// <summary>
/// What the remote says it holds. A Bitfield is answered once per file and link (docs/protocol.md), but a link outlives
/// the downloads that use it: a download paused and resumed, or started again, attaches to a link whose remote already
/// answered. So the link keeps the remote's Bitfield, kept current by its Haves, for every file a download of ours has
/// listened for, and hands a copy to each download that attaches. Bitfield, Have and Attach take one lock so a Have is
/// never lost between the copy and the listener seeing it.
/// </summary>
internal sealed partial class PeerLink
{
    private readonly Lock _remoteGate = new();
    private readonly Dictionary<string, ChunkBitmap> _remoteBitfields = [];

    /// <summary>Routes messages about <paramref name="fileId"/> to <paramref name="listener"/>, starting with the remote's Bitfield when it is known.</summary>
    public void Attach(string fileId, ILinkListener listener)
    {
        lock (_remoteGate)
        {
            _listeners[fileId] = listener;
            if (_remoteBitfields.TryGetValue(fileId, out var known))
            {
                listener.OnBitfield(this, known.Clone());
            }
        }
    }

    /// <summary>
    /// A remote's Bitfield: state is kept only for files this node holds or downloads, so a remote naming unknown
    /// files costs one constant-size Reject each and nothing stays behind; the claimed chunk count must match ours.
    /// </summary>
    private async Task OnBitfieldAsync(Bitfield b, CancellationToken ct)
    {
        var mine = _holdings.Bitfield(b.FileId);
        ChunkBitmap? bits;
        lock (_remoteGate)
        {
            var listener = _listeners.GetValueOrDefault(b.FileId);
            if (mine is null && listener is null)
            {
                bits = null;
            }
            else if ((mine is not null && b.ChunkCount != mine.Count) || ChunkBitmap.FromBytes(b.Bits.Span, b.ChunkCount) is not { } parsed)
            {
                Close($"bitfield for {b.ChunkCount} chunks does not match the file");
                return;
            }
            else
            {
                bits = parsed;
                _remoteInterest[b.FileId] = 1;
                if (listener is not null || _remoteBitfields.ContainsKey(b.FileId))
                {
                    _remoteBitfields[b.FileId] = bits.Clone(); // bounded by our downloads, never by what the remote names
                }

                listener?.OnBitfield(this, bits);
            }
        }

        if (bits is null)
        {
            await SendAsync(new Reject(b.FileId, 0, RejectReason.UnknownFile), ct);
        }
        else if (_sentBitfield.TryAdd(b.FileId, 1))
        {
            await SendAsync(ToMessage(b.FileId, AnswerFor(b.FileId, mine, bits)), ct);
        }
    }

    private void OnHave(Have h)
    {
        lock (_remoteGate)
        {
            if (_remoteBitfields.TryGetValue(h.FileId, out var known) && (uint)h.Index < (uint)known.Count)
            {
                known.Set(h.Index);
            }

            _listeners.GetValueOrDefault(h.FileId)?.OnHave(this, h.Index);
            RevealAfterHave(h.FileId, h.Index);
        }
    }
}
