using System.Globalization;
using System.Net;

namespace P2PShare.Tracker.Configuration;

/// <summary>
/// A Go-style listen address: <c>:8080</c> (every interface), <c>127.0.0.1:8080</c>, <c>[::1]:8080</c>,
/// <c>localhost:8080</c>, or the same with an <c>http://</c> prefix. Port 0 picks a free port.
/// </summary>
internal sealed record ListenAddress(IPAddress? Address, bool IsLocalhost, int Port)
{
    /// <summary>Returns null when <paramref name="text"/> is not a valid address.</summary>
    public static ListenAddress? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        string value = text.Trim();
        if (value.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            value = value["http://".Length..].TrimEnd('/');
        }

        int colon = value.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > 65535)
        {
            return null;
        }

        string host = value[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }

        if (host is "" or "*" or "+")
        {
            return new ListenAddress(null, false, port);
        }

        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return new ListenAddress(null, true, port);
        }

        return IPAddress.TryParse(host, out var address) ? new ListenAddress(address, false, port) : null;
    }

    public override string ToString() => Address switch
    {
        null when IsLocalhost => $"localhost:{Port}",
        null => $":{Port}",
        { AddressFamily: System.Net.Sockets.AddressFamily.InterNetworkV6 } => $"[{Address}]:{Port}",
        _ => $"{Address}:{Port}",
    };
}
