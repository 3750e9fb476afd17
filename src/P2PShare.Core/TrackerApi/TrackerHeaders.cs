namespace P2PShare.Core.TrackerApi;

/// <summary>HTTP header names the tracker reads.</summary>
public static class TrackerHeaders
{
    /// <summary>The token from <see cref="RegisterResponse.Token"/>, on heartbeat, unregister, announce and withdraw.</summary>
    public const string PeerToken = "X-Peer-Token";

    /// <summary>One of the tracker's API keys when it runs with <c>API_KEYS</c> (or <c>Authorization: Bearer</c>).</summary>
    public const string ApiKey = "X-API-Key";
}
