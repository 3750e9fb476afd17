using System.Net;
using P2PShare.Core.TrackerApi;

namespace P2PShare.Tracker.Api;

/// <summary>Checks peer requests field by field and returns them normalised (lowercase hex, canonical IPs).</summary>
internal static class PeerRequestValidator
{
    /// <summary>Null when valid (then <paramref name="normalized"/> is set), otherwise the message to send.</summary>
    public static string? Validate(RegisterRequest request, out RegisterRequest normalized)
    {
        normalized = request;
        if (PeerIdError("peer_id", request.PeerId) is { } idError)
        {
            return idError;
        }

        if (!PeerIds.IsValidPublicKey(request.PublicKey))
        {
            return $"public_key must be 64 hex characters (a 32-byte X25519 key), got {TextChecks.Quote(request.PublicKey)}";
        }

        if (!PeerIds.Matches(request.PeerId, request.PublicKey))
        {
            return "peer_id must be the first 20 bytes of SHA-256(public_key) in hex, which is "
                + PeerIds.FromPublicKey(Convert.FromHexString(request.PublicKey));
        }

        if (request.Port is < 1 or > 65535)
        {
            return $"port must be between 1 and 65535, got {request.Port}";
        }

        if (request.UdpPort is < 0 or > 65535)
        {
            return $"udp_port must be between 1 and 65535 (or 0 for none), got {request.UdpPort}";
        }

        if (request.DhtPort is < 0 or > 65535)
        {
            return $"dht_port must be between 1 and 65535 (or 0 for none), got {request.DhtPort}";
        }

        if (LanAddressError(request.LanAddresses, out var lanAddresses) is { } lanError)
        {
            return lanError;
        }

        if ((OptionalTextError("name", request.Name, TrackerLimits.MaxNameLength) ?? OptionalTextError("version", request.Version, TrackerLimits.MaxVersionLength)) is { } textError)
        {
            return textError;
        }

        normalized = request with
        {
            PeerId = request.PeerId.ToLowerInvariant(),
            PublicKey = request.PublicKey.ToLowerInvariant(),
            LanAddresses = lanAddresses,
            Name = string.IsNullOrWhiteSpace(request.Name) ? null : request.Name,
            Version = string.IsNullOrWhiteSpace(request.Version) ? null : request.Version,
        };
        return null;
    }

    /// <summary>Null when <paramref name="peerId"/> is 40 hex characters, otherwise the message to send.</summary>
    public static string? PeerIdError(string field, string? peerId) =>
        PeerIds.IsValid(peerId) ? null : $"{field} must be 40 hex characters, got {TextChecks.Quote(peerId)}";

    private static string? LanAddressError(IReadOnlyList<string>? given, out IReadOnlyList<string> normalized)
    {
        normalized = [];
        if (given is null)
        {
            return null;
        }

        if (given.Count > TrackerLimits.MaxLanAddresses)
        {
            return $"lan_addresses may list at most {TrackerLimits.MaxLanAddresses} addresses, got {given.Count}";
        }

        var parsed = new List<string>(given.Count);
        for (int i = 0; i < given.Count; i++)
        {
            if (given[i] is not { Length: > 0 and <= 64 } text || !IPAddress.TryParse(text, out var address))
            {
                return $"lan_addresses[{i}] must be an IPv4 or IPv6 address, got {TextChecks.Quote(given[i])}";
            }

            parsed.Add(address.ToString());
        }

        normalized = parsed;
        return null;
    }

    private static string? OptionalTextError(string field, string? value, int maxLength)
    {
        if (value is null)
        {
            return null;
        }

        if (value.Length > maxLength)
        {
            return $"{field} must be at most {maxLength} characters, got {value.Length}";
        }

        return TextChecks.HasControlCharacters(value) ? $"{field} must not contain control characters" : null;
    }
}
