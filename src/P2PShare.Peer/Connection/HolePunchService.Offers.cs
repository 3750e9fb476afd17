using Microsoft.Extensions.Logging;
using P2PShare.Core.Protocol.Relay;

namespace P2PShare.Peer.Connection;

/// <summary>
/// The asked side of a punch: the tracker's unasked punch message says another peer wants a path. This side punches
/// back; if it is to open the stream it sends HELLO, and the stream it opens joins the inbound ones, because the
/// asker runs the Noise handshake as initiator either way.
/// </summary>
internal sealed partial class HolePunchService
{
    /// <summary>Punches answered at once; offers beyond this are ignored (the asker falls back to the relay).</summary>
    private const int MaxConcurrentOffers = 8;

    private readonly SemaphoreSlim _offerSlots = new(MaxConcurrentOffers, MaxConcurrentOffers);
    private readonly Task _offerLoop;

    private async Task OfferLoopAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var offer in _signalling.PunchOffers.ReadAllAsync(ct))
            {
                if (!_offerSlots.Wait(0, CancellationToken.None))
                {
                    Log.OfferIgnored(_logger, offer.From ?? "?", "too many punches under way");
                    continue;
                }

                _ = AnswerAsync(offer, ct);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task AnswerAsync(RelayMessage offer, CancellationToken ct)
    {
        try
        {
            var (endpoint, token) = Parse(offer);
            if (offer.Hello == true)
            {
                var connection = await OpenAsync(endpoint, token, ct);
                if (!_inbound.Writer.TryWrite(connection))
                {
                    await connection.DisposeAsync();
                }

                return;
            }

            _socket.AllowToken(token);
            try
            {
                await PunchAsync(endpoint, token, ct);
            }
            finally
            {
                _socket.RevokeToken(token); // a stream opened in the window stays; only new HELLOs are refused
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or OperationCanceledException)
        {
            Log.OfferIgnored(_logger, offer.From ?? "?", ex.Message);
        }
        finally
        {
            _offerSlots.Release();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(80, LogLevel.Information, "hole punch asked by {PeerId} failed: {Reason}")]
        public static partial void OfferIgnored(ILogger logger, string peerId, string reason);
    }
}
