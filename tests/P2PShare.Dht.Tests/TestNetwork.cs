using System.Net;
using System.Security.Cryptography;

namespace P2PShare.Dht.Tests;

/// <summary>A network of real DHT nodes on 127.0.0.1 in this process, each with its own UDP socket and static key.</summary>
internal sealed class TestNetwork : IAsyncDisposable
{
    public static readonly DhtOptions Options = new()
    {
        QueryTimeout = TimeSpan.FromSeconds(1),
        QueriesPerSecond = 100_000,
        QueriesPerSecondPerSource = 1_000,
    };

    private TestNetwork(List<Member> members) => Members = members;

    public List<Member> Members { get; }

    public IEnumerable<Member> Running => Members.Where(m => !m.Stopped);

    /// <summary>Starts <paramref name="count"/> nodes; each joins through up to three random nodes started before it.</summary>
    public static async Task<TestNetwork> StartAsync(int count, CancellationToken cancellation, DhtOptions? options = null)
    {
        var members = new List<Member>();
        var network = new TestNetwork(members);
        for (int i = 0; i < count; i++)
        {
            var member = Member.Start(options ?? Options);
            members.Add(member);
            if (i > 0)
            {
                var seeds = Enumerable.Range(0, 3).Select(_ => members[Random.Shared.Next(i)].Node.LocalEndPoint);
                await member.Node.BootstrapAsync(seeds, cancellation);
            }
        }

        return network;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var member in Members)
        {
            await member.Node.DisposeAsync();
        }
    }

    internal sealed class Member
    {
        private Member(byte[] staticKey, DhtNode node)
        {
            StaticKey = staticKey;
            Node = node;
        }

        public byte[] StaticKey { get; }

        public DhtNode Node { get; }

        public bool Stopped { get; private set; }

        public static Member Start(DhtOptions options)
        {
            var staticKey = RandomNumberGenerator.GetBytes(32);
            return new Member(staticKey, DhtNode.Start(NodeId.FromStaticKey(staticKey), new IPEndPoint(IPAddress.Loopback, 0), options));
        }

        public async Task StopAsync()
        {
            Stopped = true;
            await Node.DisposeAsync();
        }
    }
}
