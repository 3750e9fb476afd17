using System.Net;
using P2PShare.Peer.Storage;

namespace P2PShare.Peer.Node;

/// <summary>
/// The DHT contacts a peer keeps in state.db between runs (table dht_contacts), so a restarted peer rejoins without
/// the tracker or a bootstrap node. Losing them is never fatal: the next start joins through the tracker's peers and
/// <c>-bootstrap</c> again, so database failures are reported as empty loads and skipped saves.
/// </summary>
internal sealed class ContactStore(StateDatabase db)
{
    public const int MaxSaved = 200;

    public async Task<IReadOnlyList<IPEndPoint>> LoadAsync(CancellationToken ct)
    {
        try
        {
            return await db.ExecuteAsync(c => DhtContactRows.Load(c, MaxSaved), ct);
        }
        catch (Exception ex) when (ex is StateDatabaseException or ObjectDisposedException)
        {
            return [];
        }
    }

    /// <summary>Saves the contacts (at most <see cref="MaxSaved"/>); an empty routing table keeps the last saved one.</summary>
    public async Task<bool> SaveAsync(IEnumerable<Dht.Contact> contacts, CancellationToken ct)
    {
        var rows = contacts.Take(MaxSaved).Select(c => (c.Id.ToString(), c.EndPoint)).ToList();
        if (rows.Count == 0)
        {
            return false;
        }

        try
        {
            await db.ExecuteInTransactionAsync((c, t) => DhtContactRows.Replace(c, t, rows), ct);
            return true;
        }
        catch (Exception ex) when (ex is StateDatabaseException or ObjectDisposedException)
        {
            return false;
        }
    }
}
