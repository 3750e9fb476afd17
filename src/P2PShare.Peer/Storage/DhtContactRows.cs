using System.Net;
using Microsoft.Data.Sqlite;

namespace P2PShare.Peer.Storage;

/// <summary>
/// The DHT routing table a peer saves in state.db (table dht_contacts), so a restarted peer rejoins the DHT without
/// the tracker or a bootstrap node. Rows that do not parse are skipped.
/// </summary>
internal static class DhtContactRows
{
    public static List<IPEndPoint> Load(SqliteConnection connection, int max)
    {
        var endPoints = new List<IPEndPoint>();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT address, port FROM dht_contacts LIMIT $max;";
        command.Parameters.AddWithValue("$max", max);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            if (IPAddress.TryParse(reader.GetString(0), out var address) && reader.GetInt64(1) is > 0 and <= ushort.MaxValue)
            {
                endPoints.Add(new IPEndPoint(address, (int)reader.GetInt64(1)));
            }
        }

        return endPoints;
    }

    /// <summary>Replaces the saved contacts with <paramref name="contacts"/> (node ID in hex, address).</summary>
    public static int Replace(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<(string NodeId, IPEndPoint EndPoint)> contacts)
    {
        using (var clear = connection.CreateCommand())
        {
            clear.Transaction = transaction;
            clear.CommandText = "DELETE FROM dht_contacts;";
            clear.ExecuteNonQuery();
        }

        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT OR REPLACE INTO dht_contacts (address, port, node_id) VALUES ($address, $port, $id);";
        var address = insert.Parameters.Add("$address", SqliteType.Text);
        var port = insert.Parameters.Add("$port", SqliteType.Integer);
        var id = insert.Parameters.Add("$id", SqliteType.Text);
        foreach (var (nodeId, endPoint) in contacts)
        {
            address.Value = endPoint.Address.ToString();
            port.Value = endPoint.Port;
            id.Value = nodeId;
            insert.ExecuteNonQuery();
        }

        return contacts.Count;
    }
}
