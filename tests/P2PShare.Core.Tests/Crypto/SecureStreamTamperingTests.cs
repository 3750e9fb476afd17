using System.Security.Cryptography;
using P2PShare.Core.Crypto;

namespace P2PShare.Core.Tests.Crypto;

/// <summary>A man in the middle alters the bytes between two peers; the receiver must notice and never accept them.</summary>
public sealed class SecureStreamTamperingTests
{
    private const int HandshakeBytesFromClient = (2 + 32) + (2 + 64);
    private const int HandshakeBytesFromServer = 2 + 96;
    private const int RecordPlaintext = 65_519;

    // Three records: two full ones and a shorter last one.
    private static readonly byte[] Payload = RandomNumberGenerator.GetBytes((2 * RecordPlaintext) + 18_962);

    [Fact]
    public async Task Handshake_FlipOfAnyByteInEitherDirection_IsDetected()
    {
        using var timeout = TestTimeout.Create(120);
        for (long offset = 0; offset < HandshakeBytesFromClient; offset++)
        {
            await AssertDetectedAsync(TamperingProxy.FlipByteAt(offset), TamperingProxy.Forward, $"client→server byte {offset}", timeout.Token);
        }

        for (long offset = 0; offset < HandshakeBytesFromServer; offset++)
        {
            await AssertDetectedAsync(TamperingProxy.Forward, TamperingProxy.FlipByteAt(offset), $"server→client byte {offset}", timeout.Token);
        }
    }

    [Fact]
    public async Task Records_FlipOfHeaderCiphertextOrTagByte_IsDetected()
    {
        using var timeout = TestTimeout.Create(120);
        var offsets = new List<long>();
        long recordStart = HandshakeBytesFromClient;
        foreach (int plaintext in new[] { RecordPlaintext, RecordPlaintext, 18_962 })
        {
            long end = recordStart + 2 + plaintext + 16;
            offsets.AddRange([recordStart, recordStart + 1, recordStart + 2, recordStart + 2 + (plaintext / 2), end - 17, end - 16, end - 1]);
            recordStart = end;
        }

        var random = new Random(4);
        for (int i = 0; i < 20; i++)
        {
            offsets.Add(HandshakeBytesFromClient + random.NextInt64(recordStart - HandshakeBytesFromClient));
        }

        foreach (long offset in offsets)
        {
            await AssertDetectedAsync(TamperingProxy.FlipByteAt(offset), TamperingProxy.Forward, $"client→server byte {offset}", timeout.Token);
        }
    }

    [Fact]
    public async Task Records_Untouched_ArriveIntact()
    {
        using var timeout = TestTimeout.Create();
        await using var proxy = await TamperingProxy.StartAsync(TamperingProxy.Forward, TamperingProxy.Forward, timeout.Token);
        var outcome = await SecureSession.RunAsync(proxy.Client, proxy.Server, Payload, timeout.Token);
        Assert.Null(outcome.ServerError);
        Assert.Equal(Payload, outcome.Received);
    }

    [Fact]
    public async Task Records_Replayed_FailAuthenticationAfterTheGenuineOnes()
    {
        var outcome = await RunWithRecordsAsync((record, message) => record == 0 ? [message, message] : [message]);
        AssertFailedAfter(outcome, RecordPlaintext, "failed authentication");
    }

    [Fact]
    public async Task Records_Reordered_FailAuthentication()
    {
        byte[]? held = null;
        var outcome = await RunWithRecordsAsync((record, message) =>
        {
            if (record == 0)
            {
                held = message;
                return [];
            }

            return record == 1 ? [message, held!] : [message];
        });
        AssertFailedAfter(outcome, 0, "failed authentication");
    }

    [Fact]
    public async Task Records_OneDropped_FailAuthentication()
    {
        var outcome = await RunWithRecordsAsync((record, message) => record == 1 ? [] : [message]);
        AssertFailedAfter(outcome, RecordPlaintext, "failed authentication");
    }

    [Fact]
    public async Task Records_TruncatedInTheMiddle_ReportTruncation()
    {
        // Half of the second record, then the connection closes (null) when the third one comes by.
        var outcome = await RunWithRecordsAsync((record, message) => record switch
        {
            1 => [message[..(message.Length / 2)]],
            2 => null,
            _ => [message],
        });
        AssertFailedAfter(outcome, RecordPlaintext, "truncated");
    }

    private static async Task<SecureSession.Outcome> RunWithRecordsAsync(Func<int, byte[], IEnumerable<byte[]>?> recordTransform)
    {
        using var timeout = TestTimeout.Create();
        var pump = TamperingProxy.Messages((index, message) =>
        {
            if (index < 2)
            {
                return [message]; // the two handshake messages from the client
            }

            return recordTransform(index - 2, message);
        });
        await using var proxy = await TamperingProxy.StartAsync(pump, TamperingProxy.Forward, timeout.Token);
        return await SecureSession.RunAsync(proxy.Client, proxy.Server, Payload, timeout.Token);
    }

    private static void AssertFailedAfter(SecureSession.Outcome outcome, int genuineBytes, string reason)
    {
        var error = Assert.IsType<SecureChannelException>(outcome.ServerError);
        Assert.Contains(reason, error.Message);
        Assert.Equal(Payload.AsSpan(0, genuineBytes).ToArray(), outcome.Received);
    }

    private static async Task AssertDetectedAsync(TamperingProxy.Pump clientToServer, TamperingProxy.Pump serverToClient, string what, CancellationToken ct)
    {
        await using var proxy = await TamperingProxy.StartAsync(clientToServer, serverToClient, ct);
        var outcome = await SecureSession.RunAsync(proxy.Client, proxy.Server, Payload, ct);
        Assert.True(outcome.ServerError is SecureChannelException, $"{what}: the server must fail with SecureChannelException, got {outcome.ServerError?.GetType().Name ?? "success"}");
        Assert.True(outcome.Received.Length < Payload.Length && Payload.AsSpan().StartsWith(outcome.Received), $"{what}: only genuine bytes before the damage may be delivered");
    }
}
