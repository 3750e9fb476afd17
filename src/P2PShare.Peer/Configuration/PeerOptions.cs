using P2PShare.Peer.Downloader;

namespace P2PShare.Peer.Configuration;

/// <summary>Everything a peer node is started with, resolved from flags, then environment, then defaults.</summary>
internal sealed record PeerOptions
{
    /// <summary>TCP port other peers connect to (PEER_PORT, default 6881; 0 picks a free port).</summary>
    public int Port { get; init; } = 6881;

    /// <summary>Where shared and downloaded files and the node's state live (DATA_DIR, default ./data).</summary>
    public string DataDir { get; init; } = "./data";

    /// <summary>Tracker base URL (TRACKER_URL, default http://localhost:8080).</summary>
    public Uri TrackerUrl { get; init; } = new("http://localhost:8080/");

    /// <summary>API key for a tracker that has API_KEYS set (API_KEY, or the first line of API_KEY_FILE).</summary>
    public string? ApiKey { get; init; }

    /// <summary>Pin of the tracker's TLS certificate key, <c>sha256/&lt;base64&gt;</c> (TRACKER_PIN); null = usual validation.</summary>
    public string? TrackerPin { get; init; }

    /// <summary>
    /// Accept inbound peers only when the tracker lists their static key as registered (PRIVATE_NETWORK: on, off,
    /// or auto = on when an API key is configured).
    /// </summary>
    public bool PrivateNetwork { get; init; }

    /// <summary>
    /// Keep a relay control socket to the tracker, accept relayed connections and dial through the relay when no
    /// direct path works (RELAY: on or off, default on).
    /// </summary>
    public bool Relay { get; init; } = true;

    /// <summary>
    /// The P2P port registered with the tracker when it differs from the listening one, e.g. behind a port forward
    /// (ADVERTISE_PORT, default 0 = the listening port).
    /// </summary>
    public int AdvertisePort { get; init; }

    /// <summary>
    /// Peer connections open at once, inbound and outbound, handshaking or established (MAX_LINKS / -max-links,
    /// default 256); one past it is refused with a log line.
    /// </summary>
    public int MaxLinks { get; init; } = Connection.ConnectionRegistry.DefaultMaxConnections;

    /// <summary>
    /// Seconds from the start of a dial to a peer before hole punching to it is tried (PUNCH_DELAY, default 0): the
    /// link starts direct or relayed and moves to a punched path when the delay ends. For tests and diagnosis.
    /// </summary>
    public TimeSpan PunchDelay { get; init; }

    /// <summary>Share DATA_DIR automatically and take no terminal input (DAEMON=1).</summary>
    public bool Daemon { get; init; }

    /// <summary>Loopback address of the control API (PEER_API_ADDR, default 127.0.0.1:0 = any free port).</summary>
    public string ApiAddr { get; init; } = "127.0.0.1:0";

    /// <summary>Address to listen on for peers (PEER_LISTEN, default 0.0.0.0).</summary>
    public string ListenHost { get; init; } = "0.0.0.0";

    /// <summary>How often the daemon rescans DATA_DIR besides watching it (RESCAN_INTERVAL seconds, default 60).</summary>
    public TimeSpan RescanInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>A name shown on the tracker's dashboard (PEER_NAME, default the host name).</summary>
    public string Name { get; init; } = Environment.MachineName;

    /// <summary>Download behaviour (MAX_PEERS, DOWNLOAD_STALL_TIMEOUT).</summary>
    public DownloadOptions Downloads { get; init; } = new();

    /// <summary>Upload limit in bytes/s for all peers together (LIMIT_UP / -limit-up, else BANDWIDTH_LIMIT; 0 = unlimited).</summary>
    public long LimitUp { get; init; }

    /// <summary>Download limit in bytes/s for all peers together (LIMIT_DOWN / -limit-down, else BANDWIDTH_LIMIT; 0 = unlimited).</summary>
    public long LimitDown { get; init; }

    /// <summary>Run a Kademlia DHT node (DHT / -dht: on or off, default on).</summary>
    public bool Dht { get; init; } = true;

    /// <summary>UDP port of the DHT node (DHT_PORT / -dht-port; null = the P2P port number; 0 = any free port).</summary>
    public int? DhtPort { get; init; }

    /// <summary>DHT nodes to join through, host:port (DHT_BOOTSTRAP / -bootstrap, comma-separated).</summary>
    public IReadOnlyList<string> DhtBootstrap { get; init; } = [];

    public string FullDataDir => Path.GetFullPath(DataDir);
}
