using System.Net;
using System.Net.Sockets;

namespace P2PShare.Net.HolePunch;

/// <summary>Binding with the port shared, so a rendezvous client can ask the tracker from the very same port.</summary>
public sealed partial class UdpStreamSocket
{
    /// <summary>
    /// Like <see cref="Bind"/>, with SO_REUSEADDR set: sockets connected to one remote (the tracker's rendezvous)
    /// may bind the same port, and the kernel hands them that remote's datagrams while this socket gets the rest.
    /// Packets from both share one NAT mapping, so the endpoint the tracker observes is the one peers can punch to.
    /// </summary>
    public static UdpStreamSocket BindShared(IPEndPoint local, UdpStreamOptions? options = null, TimeProvider? time = null)
    {
        var socket = new Socket(local.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.ReceiveBufferSize = 4 * 1024 * 1024;
            socket.SendBufferSize = 4 * 1024 * 1024;
            if (local.AddressFamily == AddressFamily.InterNetwork)
            {
                socket.DontFragment = true;
            }

            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(local);
            return new UdpStreamSocket(socket, options ?? new UdpStreamOptions(), time ?? TimeProvider.System);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
