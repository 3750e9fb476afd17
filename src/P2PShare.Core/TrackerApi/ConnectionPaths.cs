using P2PShare.Core.Transport;

namespace P2PShare.Core.TrackerApi;

/// <summary>The names of connection paths in JSON, one per <see cref="ConnectionKind"/>.</summary>
public static class ConnectionPaths
{
    public const string Direct = "direct";
    public const string HolePunch = "holepunch";
    public const string Relay = "relay";

    public static string Name(ConnectionKind kind) => kind switch
    {
        ConnectionKind.HolePunch => HolePunch,
        ConnectionKind.Relay => Relay,
        _ => Direct,
    };

    public static bool IsKnown(string? path) => path is Direct or HolePunch or Relay;
}
