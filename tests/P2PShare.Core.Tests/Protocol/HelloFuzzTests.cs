using CsCheck;
using P2PShare.Core.Protocol;
using P2PShare.Core.Protocol.Framing;
using P2PShare.Core.Protocol.Messages;

namespace P2PShare.Core.Tests.Protocol;

/// <summary>
/// The Hello exchange against whatever a remote sends first: random fields in a well-formed Hello, and mutated
/// Hello frames. It always ends with an outcome (never an exception), agrees only with a Hello naming the
/// authenticated peer, and whatever it sends back is well-formed frames. Each runs for <see cref="FuzzBudget.Seconds"/>.
/// </summary>
public sealed class HelloFuzzTests
{
    private const string RemoteId = "0123456789abcdef0123456789abcdef01234567";
    private static readonly Hello Local = Hello.ForThisBuild("fedcba9876543210fedcba9876543210fedcba98", 6881, "local");
    private static readonly byte[] ValidHello = WireBytes.Encode(Hello.ForThisBuild(RemoteId, 7000, "remote"));

    [Fact]
    public void RunAsync_KeptCorpus_EachEndsWithAnOutcome()
    {
        FuzzCorpus.ForEach(FuzzCorpus.ReadHex("Protocol/FuzzCorpus/hello.txt"), CheckOutcome);
    }

    [Fact]
    public void RunAsync_RandomHelloFields_AgreesOnlyWithTheAuthenticatedPeerAndACommonVersion()
    {
        var peerId = Gen.OneOf(Gen.Const(RemoteId), Gen.Char["0123456789abcdef"].Array[40].Select(c => new string(c)));
        Gen.Select(Gen.UShort, Gen.UShort, peerId, Gen.UShort, Gen.String[0, 100]).Sample(
            (min, max, id, port, agent) =>
            {
                byte[] frame;
                try
                {
                    frame = WireBytes.Encode(new Hello(min, max, id, port, agent));
                }
                catch (ArgumentException)
                {
                    return; // a Hello the encoder refuses to send (for example an agent too long) cannot be tested here
                }

                var outcome = Run(frame);
                bool agreeable = id == RemoteId && ProtocolVersions.Negotiate(Local.MinVersion, Local.MaxVersion, min, max) is not null;
                Assert.Equal(agreeable, outcome.Succeeded);
            },
            seed: FuzzBudget.Seed,
            time: FuzzBudget.Seconds,
            threads: 1);
    }

    [Fact]
    public void RunAsync_MutatedHelloFrame_EndsWithAnOutcome()
    {
        var mutation = Gen.Select(Gen.Int[0, ValidHello.Length - 1], Gen.Byte, Gen.Int[0, 3], Gen.Byte.Array[0, 64]);
        mutation.Sample(
            (position, value, kind, tail) =>
            {
                byte[] bytes = kind switch
                {
                    0 => Flip(ValidHello, position, value),
                    1 => ValidHello[..position],
                    2 => [.. ValidHello[..position], value, .. ValidHello[position..]],
                    _ => [.. ValidHello, .. tail],
                };
                CheckOutcome(bytes);
            },
            seed: FuzzBudget.Seed,
            time: FuzzBudget.Seconds,
            threads: 1);
    }

    /// <summary>Agrees only with the authenticated peer, and a refusal says why.</summary>
    private static void CheckOutcome(byte[] remoteBytes)
    {
        var outcome = Run(remoteBytes);
        Assert.True(outcome.Succeeded ? outcome.Remote!.PeerId == RemoteId : outcome.FailureReason is { Length: > 0 });
    }

    private static byte[] Flip(byte[] source, int position, byte value)
    {
        var bytes = (byte[])source.Clone();
        bytes[position] ^= (byte)(value | 1);
        return bytes;
    }

    /// <summary>Runs our side against <paramref name="remoteBytes"/>; checks what we sent is well-formed frames.</summary>
    private static HelloOutcome Run(byte[] remoteBytes)
    {
        using var sent = new MemoryStream();
        using var writer = new FrameWriter(sent);
        var run = HelloExchange.RunAsync(WireBytes.ReaderOver(remoteBytes), writer, Local, RemoteId, CancellationToken.None);
        Assert.True(run.IsCompleted, "the exchange over bytes already received must not wait");
        var outcome = run.Result;
        var (messages, end) = WireBytes.ReadAll(sent.ToArray());
        Assert.Equal(FrameReadStatus.EndOfStream, end.Status);
        Assert.IsType<Hello>(messages[0]);
        Assert.All(messages.Skip(1), m => Assert.IsType<Error>(m));
        return outcome;
    }
}
