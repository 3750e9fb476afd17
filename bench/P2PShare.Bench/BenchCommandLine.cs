namespace P2PShare.Bench;

/// <summary>Dispatches <c>p2pshare-bench &lt;scenario&gt; [args]</c> to one scenario class.</summary>
internal static class BenchCommandLine
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine("usage: p2pshare-bench <scenario> [args]");
            return 2;
        }

        return args[0] switch
        {
            "tracker-prepare" => await Tracker.TrackerPrepare.RunAsync(args[1..]),
            "tracker-dashboards" => await Tracker.TrackerDashboards.RunAsync(args[1..]),
            "secure-stream" => await SecureStream.SecureStreamBench.RunAsync(args[1..]),
            "relay-throughput" => await Relay.RelayThroughputBench.RunAsync(args[1..]),
            "relay-idle" => await Relay.RelayIdleSockets.RunAsync(args[1..]),
            "dht" => await Dht.DhtBench.RunAsync(args[1..]),
            "hp-recv" => await HolePunch.HolePunchBench.ReceiveAsync(args[1..]),
            "hp-send" => await HolePunch.HolePunchBench.SendAsync(args[1..]),
            _ => Unknown(args[0]),
        };
    }

    private static int Unknown(string scenario)
    {
        Console.Error.WriteLine($"unknown scenario '{scenario}'");
        return 2;
    }
}
