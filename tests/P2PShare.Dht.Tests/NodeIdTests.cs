namespace P2PShare.Dht.Tests;

/// <summary>NodeId's words against the plain 20-byte big-endian number it stands for, across the word boundaries.</summary>
public sealed class NodeIdTests
{
    private static byte[] WithBit(int bit)
    {
        var bytes = new byte[NodeId.Size];
        bytes[bit / 8] = (byte)(0x80 >> (bit % 8));
        return bytes;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(100)]
    [InlineData(127)]
    [InlineData(128)]
    [InlineData(159)]
    public void SharedPrefixLength_IdsFirstDifferingAtABit_IsThatBit(int bit)
    {
        var zero = NodeId.Read(new byte[NodeId.Size]);

        Assert.Equal(bit, zero.SharedPrefixLength(NodeId.Read(WithBit(bit))));
        Assert.Equal(NodeId.Bits, zero.SharedPrefixLength(zero));
    }

    [Fact]
    public void CompareTo_RandomIds_OrdersAsTheirBytesDo()
    {
        var random = new Random(5);
        for (int i = 0; i < 2000; i++)
        {
            var a = new byte[NodeId.Size];
            var b = new byte[NodeId.Size];
            random.NextBytes(a);
            a.CopyTo(b, 0);
            b[random.Next(NodeId.Size)] = (byte)random.Next(256); // often equal up to a late byte

            int expected = Math.Sign(a.AsSpan().SequenceCompareTo(b));
            Assert.Equal(expected, Math.Sign(NodeId.Read(a).CompareTo(NodeId.Read(b))));
        }
    }

    [Fact]
    public void ReadWriteAndXor_RandomIds_MatchTheBytes()
    {
        var random = new Random(6);
        var a = new byte[NodeId.Size];
        var b = new byte[NodeId.Size];
        random.NextBytes(a);
        random.NextBytes(b);
        var written = new byte[NodeId.Size];

        (NodeId.Read(a) ^ NodeId.Read(b)).Write(written);

        Assert.Equal(a.Zip(b, (x, y) => (byte)(x ^ y)), written);
        Assert.Equal(Convert.ToHexStringLower(a), NodeId.Read(a).ToString());
    }

    [Fact]
    public void RandomWithSharedPrefix_EveryLength_SharesExactlyThatMany()
    {
        var id = NodeId.Random();
        for (int prefix = 0; prefix < NodeId.Bits; prefix++)
        {
            Assert.Equal(prefix, id.SharedPrefixLength(id.RandomWithSharedPrefix(prefix)));
        }
    }
}
