using System.Net.WebSockets;

namespace P2PShare.Bench.Tracker;

/// <summary>
/// <c>tracker-dashboards --url URL --count N</c>: holds N dashboards open against a tracker while another process
/// measures it. Each loads the page's REST state once, then reads the /ws feed until the process is stopped; at
/// the end (SIGTERM or stdin closed) it prints how many events the dashboards received.
/// </summary>
internal static class TrackerDashboards
{
    public static async Task<int> RunAsync(string[] args)
    {
        int urlIndex = Array.IndexOf(args, "--url");
        if (urlIndex < 0 || urlIndex + 1 >= args.Length)
        {
            Console.Error.WriteLine("usage: tracker-dashboards --url URL [--count N]");
            return 2;
        }

        var baseUri = new Uri(args[urlIndex + 1].TrimEnd('/') + "/");
        int count = (int)BenchArgs.Option(args, "--count", 20);
        using var stop = new CancellationTokenSource();
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
            System.Runtime.InteropServices.PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Cancel(); });
        using var http = new HttpClient { BaseAddress = baseUri };
        long events = 0;
        int connected = 0;
        var dashboards = Enumerable.Range(0, count).Select(async _ =>
        {
            foreach (string path in new[] { "api/stats", "api/peers", "api/files?limit=500", "api/stats/history" })
            {
                (await http.GetAsync(path, stop.Token)).EnsureSuccessStatusCode();
            }

            using var socket = new ClientWebSocket();
            await socket.ConnectAsync(new UriBuilder(new Uri(baseUri, "ws")) { Scheme = baseUri.Scheme == "https" ? "wss" : "ws" }.Uri, stop.Token);
            Interlocked.Increment(ref connected);
            var buffer = new byte[64 * 1024];
            while (!stop.IsCancellationRequested)
            {
                var received = await socket.ReceiveAsync(buffer, stop.Token);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                if (received.EndOfMessage)
                {
                    Interlocked.Increment(ref events);
                }
            }
        }).ToList();

        try
        {
            await Task.WhenAll(dashboards);
        }
        catch (Exception ex) when (ex is OperationCanceledException || stop.IsCancellationRequested)
        {
            // Stopped by the bench script.
        }

        Console.WriteLine($"dashboards: {Volatile.Read(ref connected)} of {count} connected, {Interlocked.Read(ref events)} events received");
        return 0;
    }
}
