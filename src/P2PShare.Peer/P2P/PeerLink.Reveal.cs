using P2PShare.Core.Protocol.Messages;
using P2PShare.Peer.Storage;

namespace P2PShare.Peer.P2P;

/// <summary>
/// The chunks of whole files this link's remote is told of (<see cref="RevealSchedule"/>): the Bitfield answer names
/// a few, and each chunk sent or announced by the remote brings Haves for the next.
/// </summary>
internal sealed partial class PeerLink
{
    private readonly Dictionary<string, LinkReveal> _reveals = [];
    private bool _revealsStopped;

    /// <summary>What to answer a remote's first Bitfield with: a whole file's offers, else what this node holds.</summary>
    private ChunkBitmap AnswerFor(string fileId, ChunkBitmap? mine, ChunkBitmap remote)
    {
        if (mine is null || !_holdings.IsWhole(fileId))
        {
            return mine ?? new ChunkBitmap(remote.Count);
        }

        lock (_remoteGate)
        {
            if (_revealsStopped || _reveals.ContainsKey(fileId))
            {
                return mine;
            }

            var (reveal, told) = _holdings.Reveals.Start(fileId, remote.Clone());
            _reveals[fileId] = reveal;
            return told;
        }
    }

    /// <summary>A remote's Have about a whole file: more offers when it took one. Call under <c>_remoteGate</c>.</summary>
    private void RevealAfterHave(string fileId, int index)
    {
        if (_reveals.TryGetValue(fileId, out var reveal) && _holdings.Reveals.RemoteHave(reveal, index) is { Count: > 0 } told)
        {
            _ = SendAsync(Haves(fileId, told), _closing.Token);
        }
    }

    /// <summary>A chunk of a whole file is about to go out: the Haves for the offers that replace it, or none.</summary>
    private List<PeerMessage>? RevealBeforeSending(string fileId, int index, int length)
    {
        LinkReveal? reveal;
        lock (_remoteGate)
        {
            reveal = _reveals.GetValueOrDefault(fileId);
        }

        return reveal is not null && _holdings.Reveals.Sending(reveal, index, length) is { Count: > 0 } told ? Haves(fileId, told) : null;
    }

    /// <summary>The link closed: its open offers go to other links.</summary>
    private void StopRevealing()
    {
        lock (_remoteGate)
        {
            _revealsStopped = true;
            foreach (var (fileId, reveal) in _reveals)
            {
                _holdings.Reveals.Stop(fileId, reveal);
            }

            _reveals.Clear();
        }
    }

    private static List<PeerMessage> Haves(string fileId, List<int> indexes) => [.. indexes.Select(i => (PeerMessage)new Have(fileId, i))];
}
