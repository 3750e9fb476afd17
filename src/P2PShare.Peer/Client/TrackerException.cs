using System.Net;

namespace P2PShare.Peer.Client;

/// <summary>The tracker could not be reached or refused a request; the message is fit to show a user.</summary>
internal sealed class TrackerException(string message, HttpStatusCode? status = null, Exception? inner = null)
    : Exception(message, inner)
{
    public HttpStatusCode? Status { get; } = status;
}
