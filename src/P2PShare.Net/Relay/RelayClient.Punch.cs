using System.Threading.Channels;
using P2PShare.Core.Protocol.Relay;

namespace P2PShare.Net.Relay;

/// <summary>Hole-punch signalling on the control socket: asking for a punch, and the punches other peers asked for.</summary>
public sealed partial class RelayClient
{
    private readonly Channel<RelayMessage> _punchOffers = Channel.CreateBounded<RelayMessage>(new BoundedChannelOptions(16)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
    });

    /// <summary>Punches other peers asked the tracker for (type punch, with from, endpoint, punch_token, hello); drops beyond 16 waiting.</summary>
    public ChannelReader<RelayMessage> PunchOffers => _punchOffers.Reader;

    /// <summary>
    /// Asks the tracker to coordinate a punch to <paramref name="peerId"/>: the answer is the punch message (the
    /// target's endpoint and the token). Throws <see cref="RelayRefusedException"/> when the tracker refuses.
    /// </summary>
    public async Task<RelayMessage> RequestPunchAsync(string peerId, CancellationToken cancellationToken)
    {
        var answer = await RequestAsync(new RelayMessage { Type = RelayMessageTypes.PunchRequest, Target = peerId }, cancellationToken).ConfigureAwait(false);
        if (answer.Type != RelayMessageTypes.Punch || answer.Endpoint is null || answer.PunchToken is null)
        {
            throw new RelayRefusedException(answer.Code ?? RelayErrorCodes.BadRequest, answer.Message ?? "the tracker did not coordinate a punch");
        }

        return answer;
    }

    private void OfferPunch(RelayMessage offer) => _punchOffers.Writer.TryWrite(offer);
}
