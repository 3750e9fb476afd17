using System.Net.NetworkInformation;
using System.Net.Sockets;
using P2PShare.Core.TrackerApi;

namespace P2PShare.Peer.Node;

/// <summary>This machine's own unicast addresses, offered to the tracker so peers on the same LAN connect directly.</summary>
internal static class LocalAddresses
{
    public static IReadOnlyList<string> Find()
    {
        try
        {
            return NetworkInterface.GetAllNetworkInterfaces()
                .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
                .SelectMany(n => n.GetIPProperties().UnicastAddresses)
                .Select(a => a.Address)
                .Where(a => a.AddressFamily == AddressFamily.InterNetwork || (a.AddressFamily == AddressFamily.InterNetworkV6 && !a.IsIPv6LinkLocal))
                .Select(a => a.ToString())
                .Distinct()
                .Take(TrackerLimits.MaxLanAddresses)
                .ToList();
        }
        catch (NetworkInformationException)
        {
            return [];
        }
    }
}
