namespace P2PShare.Bench.Relay;

/// <summary>
/// <c>p2pshare-bench relay-idle TRACKER_URL [--sockets N] [--hold-seconds S]</c>: registers N peers and opens a relay
/// control socket for each, prints <c>ready N</c>, then holds them open for S seconds (or until it is stopped).
/// </summary>
internal static class RelayIdleSockets
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 1)
        {
            Console.Error.WriteLine("usage: p2pshare-bench relay-idle TRACKER_URL [--sockets 1000]");
            return 2;
        }

        var tracker = new Uri(args[0]);
        int count = (int)BenchArgs.Option(args, "--sockets", 1000);
        int hold = (int)BenchArgs.Option(args, "--hold-seconds", 30);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var ct = timeout.Token;
        using var http = new HttpClient();
        var peers = new List<BenchPeer>(count);
        try
        {
            for (int i = 0; i < count; i++)
            {
                var peer = await BenchPeer.RegisterAsync(http, tracker, ct);
                peers.Add(peer);
                peer.Client.Start();
            }

            foreach (var peer in peers)
            {
                await peer.Client.WaitUntilConnectedAsync(ct);
            }

            Console.WriteLine($"ready {peers.Count}");
            await Console.Out.FlushAsync(ct);
            await Task.Delay(TimeSpan.FromSeconds(hold), ct);
            return 0;
        }
        finally
        {
            await Task.WhenAll(peers.Select(p => p.DisposeAsync().AsTask()));
        }
    }
}
