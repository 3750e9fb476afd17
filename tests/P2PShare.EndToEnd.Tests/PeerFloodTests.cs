using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using P2PShare.Core.Protocol;
using P2PShare.Core.Protocol.Messages;
using P2PShare.EndToEnd.Tests.Harness;

namespace P2PShare.EndToEnd.Tests;

/// <summary>
/// A hostile remote against a real peer process: floods that used to grow the peer's memory without bound. Each test
/// checks the peer's peak resident memory (a bound, not a time) and that it still serves honest peers afterwards.
/// </summary>
public sealed class PeerFloodTests(ITestOutputHelper output)
{
    private const int Chunk = 256 * 1024;
    private const long MiB = 1024 * 1024;
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(120);

    private async Task<(TestCluster Cluster, PeerProcess Alice, string Hash)> SharingPeerAsync()
    {
        var cluster = new TestCluster(output);
        await cluster.StartTrackerAsync();
        var alice = await cluster.StartPeerAsync("alice");
        string source = TestCluster.WriteRandomFile(alice.DataDir, "served.bin", 8L * Chunk, seed: 7);
        await alice.Process.Input.WriteLineAsync($"share {source}");
        string hash = (await alice.Process.WaitForLineAsync("^([0-9a-f]{64})$", Long, cluster.Token)).Groups[1].Value;
        return (cluster, alice, hash);
    }

    [Fact]
    public async Task RequestFlood_RemoteNeverReads_LinkClosedAndMemoryBounded()
    {
        var (cluster, alice, hash) = await SharingPeerAsync();
        await using var _ = cluster;
        long before = ProcessMemory.PeakResident(alice.Process.Pid);

        await using var attacker = await RawPeerClient.ConnectAsync(alice.Port, cluster.Token);
        const int Total = 1_000_000;
        const int Batch = 4096;
        int sent = 0;
        try
        {
            var batch = Enumerable.Range(0, Batch).Select(i => (PeerMessage)new Request(hash, i % 8)).ToList();
            while (sent < Total)
            {
                await attacker.Writer.WriteSmallAsync(batch, cluster.Token);
                sent += Batch;
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException)
        {
            // The peer closed the link mid-flood.
        }

        long grown = ProcessMemory.PeakResident(alice.Process.Pid) - before;
        output.WriteLine($"sent {sent} Requests; peak resident grew {grown / MiB} MiB");
        Assert.True(grown < 100 * MiB, $"peak resident memory grew by {grown / MiB} MiB");

        // Reading now would let a peer that kept the link open flush every queued reply; it must have closed it.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cluster.Token);
        deadline.CancelAfter(Long);
        var replies = await attacker.DrainUntilClosedAsync(deadline.Token);
        output.WriteLine($"replies read before the close: {string.Join(", ", replies)}");
        Assert.False(alice.Process.HasExited);
        await using var honest = await RawPeerClient.ConnectAsync(alice.Port, cluster.Token);
    }

    [Fact]
    public async Task Requests_WithinTheQueue_RemoteNeverReads_LinkClosedAfterWriteStall()
    {
        var (cluster, alice, hash) = await SharingPeerAsync();
        await using var _ = cluster;
        await using var attacker = await RawPeerClient.ConnectAsync(alice.Port, cluster.Token);

        // 64 chunks (16 MiB) is more than the socket buffers hold, and no Request is ever refused as Busy.
        var requests = Enumerable.Range(0, 64).Select(i => (PeerMessage)new Request(hash, i % 8)).ToList();
        await attacker.Writer.WriteSmallAsync(requests, cluster.Token);

        await alice.Process.WaitForLineAsync("remote stopped reading", Long, cluster.Token);
        Assert.False(alice.Process.HasExited);
    }

    [Fact]
    public async Task BitfieldFlood_UnknownFileIds_KeepsNoStateAndAnswersWithRejects()
    {
        var (cluster, alice, hash) = await SharingPeerAsync();
        await using var _ = cluster;
        long before = ProcessMemory.PeakResident(alice.Process.Pid);

        await using var attacker = await RawPeerClient.ConnectAsync(alice.Port, cluster.Token);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cluster.Token);
        deadline.CancelAfter(Long);
        var counts = new Dictionary<MessageType, int>();
        var reading = Task.Run(async () =>
        {
            while (true)
            {
                using var frame = await attacker.Reader.ReadAsync(deadline.Token);
                Assert.Equal(Core.Protocol.Framing.FrameReadStatus.Message, frame.Status);
                counts[frame.Message!.Type] = counts.GetValueOrDefault(frame.Message.Type) + 1;
                if (frame.Message is Bitfield { FileId: var id } && id == hash)
                {
                    return; // the answer to the last Bitfield sent: every earlier one has been answered
                }
            }
        }, cluster.Token);

        const int Files = 300_000;
        const int Batch = 2000;
        var bits = new byte[Bitfield.BitsLength(8)];
        for (int sent = 0; sent < Files; sent += Batch)
        {
            var batch = Enumerable.Range(0, Batch).Select(_ => (PeerMessage)new Bitfield(RandomFileId(), 8, bits)).ToList();
            await attacker.Writer.WriteSmallAsync(batch, deadline.Token);
        }

        await attacker.Writer.WriteAsync(new Bitfield(hash, 8, bits), deadline.Token);
        await reading;
        long grown = ProcessMemory.PeakResident(alice.Process.Pid) - before;
        output.WriteLine($"replies {string.Join(", ", counts)}; peak resident grew {grown / MiB} MiB");

        Assert.Equal(1, counts.GetValueOrDefault(MessageType.Bitfield)); // only the file alice holds
        Assert.Equal(Files, counts.GetValueOrDefault(MessageType.Reject));
        Assert.True(grown < 40 * MiB, $"peak resident memory grew by {grown / MiB} MiB");
    }

    [Fact]
    public async Task Bitfield_ChunkCountNotTheFiles_ClosesTheLink()
    {
        var (cluster, alice, hash) = await SharingPeerAsync();
        await using var _ = cluster;
        await using var attacker = await RawPeerClient.ConnectAsync(alice.Port, cluster.Token);

        const int Claimed = 8_000_000; // a 1 MB bitfield, and a 1 MB answer if the claim were believed
        await attacker.Writer.WriteAsync(new Bitfield(hash, Claimed, new byte[Bitfield.BitsLength(Claimed)]), cluster.Token);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cluster.Token);
        deadline.CancelAfter(Long);
        var replies = await attacker.DrainUntilClosedAsync(deadline.Token);
        Assert.Equal(0, replies.GetValueOrDefault(MessageType.Bitfield));
        await alice.Process.WaitForLineAsync("does not match the file", Long, cluster.Token);
    }

    [Fact]
    public async Task IdleSocketFlood_PendingHandshakesCapped_HonestPeersGetThrough()
    {
        var (cluster, alice, _) = await SharingPeerAsync();
        await using var __ = cluster;
        long before = ProcessMemory.PeakResident(alice.Process.Pid);

        const int Idle = 3000;
        var sockets = new List<Socket>(Idle);
        try
        {
            for (int i = 0; i < Idle; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                sockets.Add(socket);
                await socket.ConnectAsync(IPAddress.Loopback, alice.Port, cluster.Token);
            }

            // Accepts are served in order, so once this handshake (from another source address) is through, every
            // idle socket has been accepted: those over the per-address cap were closed at once.
            await using (await RawPeerClient.ConnectAsync(alice.Port, cluster.Token, IPAddress.Parse("127.0.0.2")))
            {
            }

            int closed = sockets.Count(s => s.Poll(0, SelectMode.SelectRead) && s.Available == 0);
            long grown = ProcessMemory.PeakResident(alice.Process.Pid) - before;
            output.WriteLine($"{closed} of {Idle} idle sockets closed by the peer; peak resident grew {grown / MiB} MiB");
            Assert.True(grown < 20 * MiB, $"peak resident memory grew by {grown / MiB} MiB");
            Assert.True(closed >= Idle - 16, $"only {closed} of {Idle} idle sockets were closed");
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }
        }

        // The idle sockets' slots free as they close: a peer from the same address gets through again.
        await TrackerProbe.EventuallyAsync(
            async () =>
            {
                try
                {
                    await using var honest = await RawPeerClient.ConnectAsync(alice.Port, cluster.Token);
                    return true;
                }
                catch (Exception ex) when (ex is IOException or SocketException or Core.Crypto.SecureChannelException)
                {
                    return false;
                }
            },
            Long,
            "a handshake from 127.0.0.1 after the idle sockets closed",
            cluster.Token);
    }

    private static string RandomFileId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
}
