using P2PShare.Core.Protocol.Messages;

namespace P2PShare.Peer.P2P;

/// <summary>The small messages a download sends a lot of (Have, Request), batched into single writes.</summary>
internal sealed partial class PeerLink
{
    private static readonly TimeSpan HaveDelay = TimeSpan.FromMilliseconds(20);

    private readonly Lock _pendingHavesLock = new();
    private List<PeerMessage> _pendingHaves = [];

    /// <summary>
    /// Announces a chunk. Haves wait up to <see cref="HaveDelay"/> and leave together in one write: a swarm
    /// announces every chunk to every neighbour, and one record and one system call per Have cost more CPU than the
    /// chunks' own transfer on small machines.
    /// </summary>
    public void QueueHave(string fileId, int index)
    {
        bool first;
        lock (_pendingHavesLock)
        {
            _pendingHaves.Add(new Have(fileId, index));
            first = _pendingHaves.Count == 1;
        }

        if (first)
        {
            _ = SendHavesAsync();
        }
    }

    /// <summary>Requests chunks, all in one write.</summary>
    public Task SendRequestsAsync(string fileId, IReadOnlyList<int> indexes) =>
        SendAsync([.. indexes.Select(i => (PeerMessage)new Request(fileId, i))], _closing.Token);

    private async Task SendHavesAsync()
    {
        try
        {
            await Task.Delay(HaveDelay, _time, _closing.Token);
        }
        catch (OperationCanceledException)
        {
            return; // the link is closing
        }

        List<PeerMessage> batch;
        lock (_pendingHavesLock)
        {
            batch = _pendingHaves;
            _pendingHaves = [];
        }

        await SendAsync(batch, _closing.Token);
    }
}
