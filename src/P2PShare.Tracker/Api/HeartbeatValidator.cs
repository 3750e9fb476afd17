using P2PShare.Core.TrackerApi;

namespace P2PShare.Tracker.Api;

/// <summary>Checks the optional traffic fields of a heartbeat.</summary>
internal static class HeartbeatValidator
{
    /// <summary>The largest round-trip time accepted, in milliseconds.</summary>
    public const int MaxRttMs = 600_000;

    /// <summary>Null when valid (then <paramref name="normalized"/> has lowercase peer IDs), otherwise the message to send.</summary>
    public static string? Validate(HeartbeatRequest request, out HeartbeatRequest normalized)
    {
        normalized = request;
        if (request.BytesSent is < 0 || request.BytesReceived is < 0)
        {
            return "bytes_sent and bytes_received must not be negative";
        }

        if (request.Connections is not { } connections)
        {
            return null;
        }

        if (connections.Count > TrackerLimits.MaxReportedConnections)
        {
            return $"connections may list at most {TrackerLimits.MaxReportedConnections} entries, got {connections.Count}";
        }

        var checkedConnections = new List<ReportedConnection>(connections.Count);
        for (int i = 0; i < connections.Count; i++)
        {
            var connection = connections[i];
            if (connection is null)
            {
                return $"connections[{i}] must be an object with peer_id, path and rtt_ms, got null";
            }

            if (PeerRequestValidator.PeerIdError($"connections[{i}].peer_id", connection.PeerId) is { } idError)
            {
                return idError;
            }

            if (!ConnectionPaths.IsKnown(connection.Path))
            {
                return $"connections[{i}].path must be {ConnectionPaths.Direct}, {ConnectionPaths.HolePunch} or {ConnectionPaths.Relay}, got {TextChecks.Quote(connection.Path)}";
            }

            if (connection.RttMs is < 0 or > MaxRttMs)
            {
                return $"connections[{i}].rtt_ms must be between 0 and {MaxRttMs}, got {connection.RttMs}";
            }

            checkedConnections.Add(connection with { PeerId = connection.PeerId.ToLowerInvariant() });
        }

        normalized = request with { Connections = checkedConnections };
        return null;
    }
}
