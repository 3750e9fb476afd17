using CsCheck;
using P2PShare.Core.Protocol.Framing;

namespace P2PShare.Core.Tests.Protocol;

/// <summary>Random and mutated byte streams: the reader always ends with a value, never an exception, and only
/// allocates in proportion to the bytes that actually arrived. Each runs for <see cref="FuzzBudget.Seconds"/>.</summary>
public sealed class FrameFuzzTests
{
    private static readonly byte[] ValidStream = WireBytes.Encode(SampleMessages.All()[..8]);

    [Fact]
    public void ReadAsync_KeptCorpus_EachEndsWithoutExceptionOrOverAllocation()
    {
        FuzzCorpus.ForEach(FuzzCorpus.ReadHex("Protocol/FuzzCorpus/frames.txt"), CheckTerminatesWithinAllocationBound);
    }

    [Fact]
    public void ReadAsync_RandomBytes_EndsWithoutExceptionOrOverAllocation()
    {
        Gen.Byte.Array[0, 4096].Sample(CheckTerminatesWithinAllocationBound, seed: FuzzBudget.Seed, time: FuzzBudget.Seconds, threads: 1);
    }

    [Fact]
    public void ReadAsync_RandomBytesAfterPlausibleHeader_EndsWithoutExceptionOrOverAllocation()
    {
        var gen = Gen.Select(Gen.UInt, Gen.Byte[0, 13], Gen.Byte.Array[0, 2048], (length, type, payload) => WireBytes.Frame(length % (2 * FrameLimits.MaxFrameLength), type, payload));
        gen.Sample(CheckTerminatesWithinAllocationBound, seed: FuzzBudget.Seed, time: FuzzBudget.Seconds, threads: 1);
    }

    [Fact]
    public void ReadAsync_MutatedValidStream_EndsWithoutExceptionOrOverAllocation()
    {
        var mutation = Gen.Select(Gen.Int[0, ValidStream.Length - 1], Gen.Byte, Gen.Int[0, 3], Gen.Int[1, ValidStream.Length]);
        mutation.Sample(
            m =>
            {
                var (position, value, kind, cut) = m;
                var bytes = (byte[])ValidStream.Clone();
                switch (kind)
                {
                    case 0:
                        bytes[position] ^= (byte)(value | 1);
                        break;
                    case 1:
                        bytes = bytes[..cut];
                        break;
                    case 2:
                        bytes = [.. bytes[..position], value, .. bytes[position..]];
                        break;
                    default:
                        bytes = [.. bytes[..position], .. bytes[(position + 1)..]];
                        break;
                }

                CheckTerminatesWithinAllocationBound(bytes);
            },
            seed: FuzzBudget.Seed,
            time: FuzzBudget.Seconds,
            threads: 1);
    }

    [Fact]
    public void ReadAsync_ClaimedMaximumLengthButFewBytes_AllocatesNothingLikeTheClaim()
    {
        var bytes = WireBytes.Frame(FrameLimits.MaxFrameLength, 4, new byte[100]);
        CheckTerminatesWithinAllocationBound(bytes); // warm up: JIT and pool
        long before = GC.GetAllocatedBytesForCurrentThread();
        var (_, end) = WireBytes.ReadAll(bytes);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(FrameReadStatus.Malformed, end.Status);
        Assert.True(allocated < 64 * 1024, $"allocated {allocated} bytes for a frame that claimed {FrameLimits.MaxFrameLength}");
    }

    private static void CheckTerminatesWithinAllocationBound(byte[] bytes)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var (messages, end) = WireBytes.ReadAll(bytes);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.NotEqual(FrameReadStatus.Message, end.Status);
        Assert.NotEqual(FrameReadStatus.TransportFailed, end.Status);
        Assert.True(end.Status == FrameReadStatus.Malformed || end.Reason is null);
        long bound = Math.Min(FrameLimits.MaxFrameLength, (4L * bytes.Length) + (256 * 1024));
        Assert.True(allocated <= bound, $"allocated {allocated} bytes reading {bytes.Length} bytes ({messages.Count} messages)");
    }
}
