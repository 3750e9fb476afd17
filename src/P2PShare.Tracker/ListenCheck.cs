using System.Net;
using System.Net.Sockets;
using P2PShare.Tracker.Configuration;

namespace P2PShare.Tracker;

/// <summary>
/// Tries the listen address before the web host starts, so a port in use ends with one line naming the address
/// and port (exit code 2) instead of the host's logged stack trace.
/// </summary>
internal static class ListenCheck
{
    /// <summary>Null when the address can be listened on, otherwise the message.</summary>
    public static string? Problem(ListenAddress listen)
    {
        if (listen.Port == 0)
        {
            return null;
        }

        IPAddress[] addresses = listen switch
        {
            { IsLocalhost: true } => [IPAddress.Loopback],
            { Address: null } => [IPAddress.Any],
            _ => [listen.Address!],
        };
        foreach (var address in addresses)
        {
            try
            {
                using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(address, listen.Port));
                socket.Listen();
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                return $"cannot listen on {listen}: the address is already in use (another program has port {listen.Port}; choose another with -addr)";
            }
            catch (SocketException)
            {
                // Other problems (an address not on this machine, say) are the web host's to report.
            }
        }

        return null;
    }
}
