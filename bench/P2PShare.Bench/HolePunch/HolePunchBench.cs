using System.Diagnostics;
using System.Globalization;
using System.Net;
using P2PShare.Net.HolePunch;
using P2PShare.Net.Tcp;

namespace P2PShare.Bench.HolePunch;

/// <summary>
/// One end of a one-way transfer over TCP or the hole-punched UDP stream, for bench/holepunch.sh in the NAT lab:
/// <c>hp-recv tcp|udp PORT TOKEN_HEX</c> accepts one stream, reads it to the end and prints bytes, seconds and MB/s;
/// <c>hp-send tcp|udp IP:PORT TOKEN_HEX [--mib N] [--seconds S]</c> writes N MiB (or for S seconds) and closes.
/// </summary>
internal static class HolePunchBench
{
    private const int ChunkBytes = 1024 * 1024;

    public static async Task<int> ReceiveAsync(string[] args)
    {
        var (udp, port, token) = (args[0] == "udp", int.Parse(args[1], CultureInfo.InvariantCulture), Convert.FromHexString(args[2]));
        await using var socket = udp ? UdpStreamSocket.Bind(new IPEndPoint(IPAddress.Any, port)) : null;
        await using var tcp = udp ? null : TcpPeerTransport.Start(IPAddress.Any, port);
        socket?.AllowToken(token);
        Console.WriteLine("ready");
        await using var connection = socket is not null
            ? await socket.AcceptAsync(CancellationToken.None)
            : await tcp!.AcceptAsync(CancellationToken.None);

        var buffer = new byte[ChunkBytes];
        long total = 0;
        var watch = new Stopwatch();
        int n;
        while ((n = await connection.Stream.ReadAsync(buffer)) > 0)
        {
            if (total == 0)
            {
                watch.Start();
            }

            total += n;
        }

        var seconds = watch.Elapsed.TotalSeconds;
        Console.WriteLine(FormattableString.Invariant($"bytes {total}"));
        Console.WriteLine(FormattableString.Invariant($"seconds {seconds:F3}"));
        Console.WriteLine(FormattableString.Invariant($"mbps {total / seconds / 1e6:F1}"));
        if (connection is UdpStreamConnection stream)
        {
            Console.WriteLine(FormattableString.Invariant($"srtt_ms {stream.SmoothedRtt.TotalMilliseconds:F1}"));
            Console.WriteLine(FormattableString.Invariant($"datagram {stream.DatagramSize}"));
        }

        return 0;
    }

    public static async Task<int> SendAsync(string[] args)
    {
        var udp = args[0] == "udp";
        var remote = IPEndPoint.Parse(args[1]);
        var token = Convert.FromHexString(args[2]);
        var mib = BenchArgs.Option(args, "--mib", 256);
        var seconds = BenchArgs.Option(args, "--seconds", 0);
        await using var socket = udp ? UdpStreamSocket.Bind(new IPEndPoint(IPAddress.Any, 0)) : null;
        await using var tcp = udp ? null : TcpPeerTransport.Start(IPAddress.Any, 0);
        await using var connection = socket is not null
            ? await socket.ConnectAsync(remote, token, CancellationToken.None)
            : await tcp!.ConnectAsync(new Core.Transport.PeerAddress("bench", remote.Address.ToString(), remote.Port), CancellationToken.None);

        var chunk = new byte[ChunkBytes];
        Random.Shared.NextBytes(chunk);
        var watch = Stopwatch.StartNew();
        for (long i = 0; seconds > 0 ? watch.Elapsed.TotalSeconds < seconds : i < mib; i++)
        {
            await connection.Stream.WriteAsync(chunk);
        }

        return 0;
    }
}
