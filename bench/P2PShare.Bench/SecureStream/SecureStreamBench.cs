using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using P2PShare.Core.Crypto;

using P2PShare.Testing;

namespace P2PShare.Bench.SecureStream;

/// <summary>
/// <c>p2pshare-bench secure-stream RESULT_MD [--mib N] [--runs N] [--handshakes N]</c>: 1 GiB over 127.0.0.1 TCP
/// through a plain NetworkStream and through a SecureStream in the same process, plus handshake latency.
/// </summary>
internal static class SecureStreamBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 1)
        {
            Console.Error.WriteLine("usage: p2pshare-bench secure-stream RESULT_MD [--mib 1024] [--runs 3] [--handshakes 200]");
            return 2;
        }

        long mib = BenchArgs.Option(args, "--mib", 1024);
        int runs = (int)BenchArgs.Option(args, "--runs", 5);
        int handshakes = (int)BenchArgs.Option(args, "--handshakes", 200);
        long bytes = mib * 1024 * 1024;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var ct = timeout.Token;

        var plain = new List<Measurement>();
        var secure = new List<Measurement>();
        for (int run = 0; run < runs; run++)
        {
            plain.Add(await MeasureAsync(bytes, PlainAsync, ct));
            secure.Add(await MeasureAsync(bytes, SecureAsync, ct));
            Console.WriteLine($"run {run + 1}: plain {plain[^1].MegabytesPerSecond:F0} MB/s, secure {secure[^1].MegabytesPerSecond:F0} MB/s");
        }

        var latencies = await HandshakeLatenciesAsync(handshakes, ct);
        double aes = AesGcmSealRate();
        var markdown = Report(mib, runs, Median(plain), Median(secure), latencies, aes);
        Console.Write(markdown);
        await File.WriteAllTextAsync(args[0], markdown, ct);
        return 0;
    }

    /// <summary>Throughput and the CPU time the whole process spent per GiB (both sides, kernel included).</summary>
    private static async Task<Measurement> MeasureAsync(long bytes, Func<long, CancellationToken, Task<double>> transfer, CancellationToken ct)
    {
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        double seconds = await transfer(bytes, ct);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        double gib = bytes / (1024.0 * 1024 * 1024);
        return new Measurement(bytes / seconds / 1e6, cpu.TotalSeconds / gib);
    }

    private static async Task<double> PlainAsync(long bytes, CancellationToken ct)
    {
        var (client, server) = await Loopback.ConnectPairAsync(ct);
        await using (client)
        await using (server)
        {
            return await LoopbackThroughput.TransferAsync(client, server, bytes, ct);
        }
    }

    private static async Task<double> SecureAsync(long bytes, CancellationToken ct)
    {
        using var alice = PeerIdentity.Generate();
        using var bob = PeerIdentity.Generate();
        var (clientStream, serverStream) = await Loopback.ConnectPairAsync(ct);
        var accept = SecureChannel.AcceptAsync(serverStream, bob, ct);
        await using var client = await SecureChannel.ConnectAsync(clientStream, alice, bob.PublicKey, ct);
        await using var server = await accept;
        return await LoopbackThroughput.TransferAsync(client, server, bytes, ct);
    }

    /// <summary>Milliseconds per complete XX handshake over an already-connected loopback TCP pair.</summary>
    private static async Task<List<double>> HandshakeLatenciesAsync(int count, CancellationToken ct)
    {
        using var alice = PeerIdentity.Generate();
        using var bob = PeerIdentity.Generate();
        var latencies = new List<double>(count);
        for (int i = 0; i < count + 10; i++)
        {
            var (clientStream, serverStream) = await Loopback.ConnectPairAsync(ct);
            var stopwatch = Stopwatch.StartNew();
            var accept = SecureChannel.AcceptAsync(serverStream, bob, ct);
            await using var client = await SecureChannel.ConnectAsync(clientStream, alice, bob.PublicKey, ct);
            await using var server = await accept;
            if (i >= 10)
            {
                latencies.Add(stopwatch.Elapsed.TotalMilliseconds);
            }
        }

        latencies.Sort();
        return latencies;
    }

    /// <summary>MB/s of sealing full 65,519-byte records on one core, for scale.</summary>
    private static double AesGcmSealRate()
    {
        using var aes = new AesGcm(RandomNumberGenerator.GetBytes(32), 16);
        var plaintext = new byte[65_519];
        var output = new byte[65_519];
        var tag = new byte[16];
        var nonce = new byte[12];
        const int Records = 8192;
        var stopwatch = Stopwatch.StartNew();
        for (int i = 0; i < Records; i++)
        {
            nonce[^1] = (byte)i;
            aes.Encrypt(nonce, plaintext, output, tag);
        }

        return (double)Records * plaintext.Length / stopwatch.Elapsed.TotalSeconds / 1e6;
    }

    private static string Report(long mib, int runs, Measurement plain, Measurement secure, List<double> latencies, double aes)
    {
        var text = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        text.AppendLine("## Secure stream (Noise_XX_25519_AESGCM_SHA256) over loopback TCP");
        text.AppendLine();
        text.AppendLine(inv, $"`bench/secure-stream.sh`: {mib} MiB one way over 127.0.0.1, 256 KiB writes and reads, sender and receiver in one process; {runs} runs of each, plain and secure alternating; the run with the median throughput is shown. CPU time is the process's user + system time, so it counts the kernel's TCP work at both ends.");
        text.AppendLine();
        text.AppendLine("| path | throughput | vs plain TCP | CPU time per GiB (both ends) |");
        text.AppendLine("|---|---:|---:|---:|");
        text.AppendLine(inv, $"| plain `NetworkStream` | {plain.MegabytesPerSecond:F0} MB/s | 100% | {plain.CpuSecondsPerGib:F2} s |");
        text.AppendLine(inv, $"| `SecureStream` (AES-256-GCM records ≤ 65,535 B) | {secure.MegabytesPerSecond:F0} MB/s | {100 * secure.MegabytesPerSecond / plain.MegabytesPerSecond:F0}% | {secure.CpuSecondsPerGib:F2} s |");
        text.AppendLine(inv, $"| AES-256-GCM seal alone, one core (for scale) | {aes:F0} MB/s | | |");
        text.AppendLine();
        text.AppendLine(inv, $"Handshake latency (XX over a connected loopback socket, {latencies.Count} handshakes after 10 warm-up): median {Percentile(latencies, 0.5):F2} ms, p99 {Percentile(latencies, 0.99):F2} ms.");
        return text.ToString();
    }

    /// <summary>The run with the median throughput (its CPU figure comes along).</summary>
    private static Measurement Median(List<Measurement> runs) => runs.OrderBy(m => m.MegabytesPerSecond).ElementAt((runs.Count - 1) / 2);

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];


    private sealed record Measurement(double MegabytesPerSecond, double CpuSecondsPerGib);
}
