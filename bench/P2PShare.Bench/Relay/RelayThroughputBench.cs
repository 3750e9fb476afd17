using System.Globalization;
using P2PShare.Bench.SecureStream;
using P2PShare.Core.Crypto;
using P2PShare.Testing;

namespace P2PShare.Bench.Relay;

/// <summary>
/// <c>p2pshare-bench relay-throughput TRACKER_URL [--mib N] [--runs N]</c>: N MiB one way through a SecureStream
/// over a relay tunnel of the running tracker, and through a SecureStream over direct loopback TCP, alternately in
/// the same process. Prints <c>relay_mbps</c>, <c>direct_mbps</c> (medians) and <c>relayed_bytes</c> (every byte
/// that went through the tracker, the unmeasured warm-up round included). One 64 MiB round of each goes first and is
/// not measured, so neither path pays for the runtime compiling its code.
/// </summary>
internal static class RelayThroughputBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 1)
        {
            Console.Error.WriteLine("usage: p2pshare-bench relay-throughput TRACKER_URL [--mib 1024] [--runs 3]");
            return 2;
        }

        var tracker = new Uri(args[0]);
        long bytes = BenchArgs.Option(args, "--mib", 1024) * 1024 * 1024;
        int runs = (int)BenchArgs.Option(args, "--runs", 3);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(20));
        var ct = timeout.Token;
        using var http = new HttpClient();
        await using var a = await BenchPeer.RegisterAsync(http, tracker, ct);
        await using var b = await BenchPeer.RegisterAsync(http, tracker, ct);
        a.Client.Start();
        b.Client.Start();
        await a.Client.WaitUntilConnectedAsync(ct);
        await b.Client.WaitUntilConnectedAsync(ct);

        const long WarmUpBytes = 64L * 1024 * 1024;
        await RelayedAsync(a, b, WarmUpBytes, ct);
        await DirectAsync(WarmUpBytes, ct);

        var relay = new List<double>();
        var direct = new List<double>();
        for (int run = 0; run < runs; run++)
        {
            relay.Add(bytes / await RelayedAsync(a, b, bytes, ct) / 1e6);
            direct.Add(bytes / await DirectAsync(bytes, ct) / 1e6);
            Console.Error.WriteLine($"run {run + 1}: relay {relay[^1]:F0} MB/s, direct {direct[^1]:F0} MB/s");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"relay_mbps {Median(relay):F1}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"direct_mbps {Median(direct):F1}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"relayed_bytes {(bytes * runs) + WarmUpBytes}"));
        return 0;
    }

    private static async Task<double> RelayedAsync(BenchPeer a, BenchPeer b, long bytes, CancellationToken ct)
    {
        var dialing = a.Client.ConnectAsync(b.Identity.PeerId, ct);
        var invitation = await b.Client.Invitations.ReadAsync(ct);
        await using var theirs = await b.Client.AcceptAsync(invitation, ct);
        await using var mine = await dialing;
        var accept = SecureChannel.AcceptAsync(theirs.Stream, b.Identity, ct);
        await using var sender = await SecureChannel.ConnectAsync(mine.Stream, a.Identity, b.Identity.PublicKey, ct);
        await using var receiver = await accept;
        return await LoopbackThroughput.TransferAsync(sender, receiver, bytes, ct);
    }

    private static async Task<double> DirectAsync(long bytes, CancellationToken ct)
    {
        using var alice = PeerIdentity.Generate();
        using var bob = PeerIdentity.Generate();
        var (clientStream, serverStream) = await Loopback.ConnectPairAsync(ct);
        var accept = SecureChannel.AcceptAsync(serverStream, bob, ct);
        await using var sender = await SecureChannel.ConnectAsync(clientStream, alice, bob.PublicKey, ct);
        await using var receiver = await accept;
        return await LoopbackThroughput.TransferAsync(sender, receiver, bytes, ct);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
