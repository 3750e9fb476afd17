using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using P2PShare.Core.Protocol.Rendezvous;

namespace P2PShare.Net.Rendezvous;

/// <summary>
/// Keeps a peer known to the tracker's UDP rendezvous: from the port of the hole-punch socket it asks the primary
/// port (which records the public endpoint) and the alternate port every <see cref="Interval"/>, which also keeps
/// the NAT mapping open; the two answers tell whether the NAT maps endpoint-independently, and the next request to
/// the primary port reports that. Each tracker port gets its own socket connected to it and bound to the shared port.
/// </summary>
public sealed class RendezvousClient(int localPort, ReadOnlyMemory<byte> peerId, Func<string?> token, TimeProvider time) : IAsyncDisposable
{
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromMilliseconds(700);
    private const int Attempts = 3;

    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private Task _loop = Task.CompletedTask;
    private (IPAddress Host, int Primary, int Alternate)? _tracker;
    private AsyncWake _wake = new();

    /// <summary>How often the tracker is asked; well under the 30 s that NAT mappings live in the lab.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The public endpoint the tracker last observed on its primary port, or null.</summary>
    public IPEndPoint? Observed { get; private set; }

    public NatMapping Mapping { get; private set; }

    /// <summary>Starts asking; <see cref="UseTracker"/> says where (after each registration).</summary>
    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    /// <summary>The tracker's rendezvous ports, as its registration answer gave them; asks at once.</summary>
    public void UseTracker(IPAddress host, int primary, int alternate)
    {
        lock (_gate)
        {
            _tracker = (host, primary, alternate);
            _wake.Set();
        }
    }

    private async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            (IPAddress Host, int Primary, int Alternate)? tracker;
            Task wake;
            lock (_gate)
            {
                tracker = _tracker;
                wake = _wake.Task; // a UseTracker during the round below completes it, so the next round starts at once
            }

            if (tracker is { } t && token() is { } secret)
            {
                try
                {
                    await RoundAsync(t.Host, t.Primary, t.Alternate, secret, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            try
            {
                await wake.WaitAsync(Interval, time, stop).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }
            catch (OperationCanceledException)
            {
                return;
            }

            lock (_gate)
            {
                if (_wake.Task.IsCompleted)
                {
                    _wake = new AsyncWake();
                }
            }
        }
    }

    private async Task RoundAsync(IPAddress host, int primary, int alternate, string secret, CancellationToken stop)
    {
        var first = await AskAsync(new IPEndPoint(host, primary), Mapping, secret, stop).ConfigureAwait(false);
        if (first is null)
        {
            return;
        }

        Observed = first;
        if (alternate <= 0 || await AskAsync(new IPEndPoint(host, alternate), Mapping, secret, stop).ConfigureAwait(false) is not { } second)
        {
            return;
        }

        var mapping = first.Equals(second) ? NatMapping.EndpointIndependent : NatMapping.EndpointDependent;
        if (mapping != Mapping)
        {
            Mapping = mapping;
            Observed = await AskAsync(new IPEndPoint(host, primary), mapping, secret, stop).ConfigureAwait(false) ?? Observed;
        }
    }

    /// <summary>One binding request, repeated a few times; null when no valid answer came.</summary>
    private async Task<IPEndPoint?> AskAsync(IPEndPoint tracker, NatMapping report, string secret, CancellationToken stop)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(new IPEndPoint(IPAddress.Any, localPort));
            await socket.ConnectAsync(tracker, stop).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            return null;
        }

        var request = new byte[RendezvousPacket.RequestSize];
        var answer = new byte[RendezvousPacket.AnswerSize + 1];
        for (int attempt = 0; attempt < Attempts && !stop.IsCancellationRequested; attempt++)
        {
            ulong nonce = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
            RendezvousPacket.WriteRequest(request, peerId.Span, nonce, report, secret);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
            timeout.CancelAfter(AnswerTimeout);
            try
            {
                await socket.SendAsync(request, SocketFlags.None, timeout.Token).ConfigureAwait(false);
                while (true)
                {
                    int length = await socket.ReceiveAsync(answer, SocketFlags.None, timeout.Token).ConfigureAwait(false);
                    if (RendezvousPacket.TryReadAnswer(answer.AsSpan(0, length), nonce, secret, out var observed, out _))
                    {
                        return observed;
                    }
                }
            }
            catch (OperationCanceledException) when (!stop.IsCancellationRequested)
            {
            }
            catch (SocketException)
            {
                await Task.Delay(AnswerTimeout, time, stop).ConfigureAwait(false); // e.g. port unreachable: the tracker is restarting
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private sealed class AsyncWake
    {
        private readonly TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Task => _signal.Task;

        public void Set() => _signal.TrySetResult();
    }
}
