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

        if (args[0] == "tracker-prepare") return await Tracker.TrackerPrepare.RunAsync(args[1..]);

        await Task.CompletedTask;
        Console.Error.WriteLine($"unknown scenario '{args[0]}'");
        return 2;
    }
}
