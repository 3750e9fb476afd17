namespace P2PShare.Core.TrackerApi;

/// <summary>The values of <see cref="TrackerEvent.Type"/>.</summary>
public static class TrackerEventTypes
{
    /// <summary>A peer registered (or re-registered); data is a <see cref="PeerInfo"/>.</summary>
    public const string PeerJoined = "peer_joined";

    /// <summary>A peer unregistered or expired; data is a <see cref="PeerLeftEvent"/>.</summary>
    public const string PeerLeft = "peer_left";

    /// <summary>A peer announced a file; data is a <see cref="FileAnnouncedEvent"/>.</summary>
    public const string FileAnnounced = "file_announced";

    /// <summary>The last holder of a file went away; data is a <see cref="FileRemovedEvent"/>.</summary>
    public const string FileRemoved = "file_removed";

    /// <summary>Counters, sent on connect and periodically; data is a <see cref="StatsEvent"/>.</summary>
    public const string Stats = "stats";

    /// <summary>A peer's heartbeat updated its traffic and connections; data is a <see cref="PeerInfo"/>.</summary>
    public const string PeerUpdated = "peer.updated";
}
