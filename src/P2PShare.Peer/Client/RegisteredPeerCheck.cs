using Microsoft.Extensions.Logging;
using P2PShare.Core.TrackerApi;

namespace P2PShare.Peer.Client;

/// <summary>
/// Private network: is the static key of an inbound peer registered with the tracker right now? Answers are
/// cached (registered for <see cref="RegisteredFor"/>, not registered for <see cref="UnknownFor"/>) in a table of at
/// most <see cref="Capacity"/> keys, so a busy peer asks the tracker once per peer and minute, not per link. When
/// the tracker cannot be asked the answer is no (fail closed) and is not cached.
/// </summary>
internal sealed partial class RegisteredPeerCheck(TrackerClient tracker, TimeProvider time, ILogger logger)
{
    public const int Capacity = 1024;
    public static readonly TimeSpan RegisteredFor = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan UnknownFor = TimeSpan.FromSeconds(5);

    private readonly Dictionary<string, (bool Registered, DateTimeOffset Until)> _answers = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public async ValueTask<bool> IsRegisteredAsync(ReadOnlyMemory<byte> staticKey, CancellationToken ct)
    {
        string key = Convert.ToHexStringLower(staticKey.Span);
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (_answers.TryGetValue(key, out var cached) && cached.Until > now)
            {
                return cached.Registered;
            }
        }

        string peerId = PeerIds.FromPublicKey(staticKey.Span);
        bool registered;
        try
        {
            var listed = await tracker.GetPeerAsync(peerId, ct);
            registered = listed is not null && string.Equals(listed.PublicKey, key, StringComparison.OrdinalIgnoreCase);
        }
        catch (TrackerException ex)
        {
            Log.CheckFailed(logger, peerId, ex.Message);
            return false;
        }

        Remember(key, registered, time.GetUtcNow());
        if (!registered)
        {
            Log.Refused(logger, peerId);
        }

        return registered;
    }

    private void Remember(string key, bool registered, DateTimeOffset now)
    {
        lock (_lock)
        {
            if (_answers.Count >= Capacity && !_answers.ContainsKey(key))
            {
                foreach (var (old, answer) in _answers)
                {
                    if (answer.Until <= now)
                    {
                        _answers.Remove(old);
                    }
                }

                if (_answers.Count >= Capacity)
                {
                    _answers.Remove(_answers.Keys.First());
                }
            }

            _answers[key] = (registered, now + (registered ? RegisteredFor : UnknownFor));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(60, LogLevel.Warning, "private network: could not ask the tracker whether peer {PeerId} is registered ({Reason}); refused")]
        public static partial void CheckFailed(ILogger logger, string peerId, string reason);

        [LoggerMessage(61, LogLevel.Information, "private network: peer {PeerId} is not registered with the tracker; refused")]
        public static partial void Refused(ILogger logger, string peerId);
    }
}
