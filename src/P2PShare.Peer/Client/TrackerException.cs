using System.Net;

namespace P2PShare.Peer.Client;

/// <summary>The tracker could not be reached or refused a request; the message is fit to show a user.</summary>
internal sealed class TrackerException(string message, HttpStatusCode? status = null, Exception? inner = null)
    : Exception(message, inner)
{
    public HttpStatusCode? Status { get; } = status;

    /// <summary>The tracker's Retry-After on a 429 or 503, when it sent one.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>No connection to the tracker or no answer in time: it may be down or restarting.</summary>
    public bool IsUnreachable { get; init; }

    /// <summary>401 or 403: the tracker will not change its mind on a retry (a missing or wrong key or proof).</summary>
    public bool IsRefusal => Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;
}
