using System.Net;

namespace P2PShare.Peer.P2P;

/// <summary>
/// Counts inbound connections whose handshake has not finished, in total and per source address, so idle or slow
/// sockets cannot hold handshake buffers without bound. Thread-safe; every <see cref="TryEnter"/> that returns true
/// is paired with one <see cref="Leave"/>.
/// </summary>
internal sealed class PendingHandshakes(int maxTotal, int maxPerAddress)
{
    /// <summary>Pending inbound handshakes at once, from everyone.</summary>
    public const int DefaultMaxTotal = 128;

    /// <summary>Pending inbound handshakes at once from one IP address.</summary>
    public const int DefaultMaxPerAddress = 16;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _byAddress = [];
    private int _total;

    public PendingHandshakes()
        : this(DefaultMaxTotal, DefaultMaxPerAddress)
    {
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _total;
            }
        }
    }

    /// <summary>The key a connection is counted under: its IP address (IPv4-mapped IPv6 as IPv4), else its endpoint text.</summary>
    public static string SourceOf(EndPoint? remote) => remote switch
    {
        IPEndPoint ip => (ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4() : ip.Address).ToString(),
        null => "?",
        _ => remote.ToString() ?? "?",
    };

    public bool TryEnter(string source)
    {
        lock (_gate)
        {
            int fromSource = _byAddress.GetValueOrDefault(source);
            if (_total >= maxTotal || fromSource >= maxPerAddress)
            {
                return false;
            }

            _total++;
            _byAddress[source] = fromSource + 1;
            return true;
        }
    }

    public void Leave(string source)
    {
        lock (_gate)
        {
            _total--;
            int left = _byAddress[source] - 1;
            if (left == 0)
            {
                _byAddress.Remove(source);
            }
            else
            {
                _byAddress[source] = left;
            }
        }
    }
}
