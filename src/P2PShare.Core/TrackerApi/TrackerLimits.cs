namespace P2PShare.Core.TrackerApi;

/// <summary>Bounds the tracker enforces on requests; clients can check them before sending.</summary>
public static class TrackerLimits
{
    public const int MaxLanAddresses = 8;
    public const int MaxNameLength = 64;
    public const int MaxVersionLength = 64;
    public const int MaxPageSize = 500;
    public const int DefaultPageSize = 50;
    public const int MaxQueryLength = 255;

    /// <summary>Connections one heartbeat may report.</summary>
    public const int MaxReportedConnections = 64;
}
