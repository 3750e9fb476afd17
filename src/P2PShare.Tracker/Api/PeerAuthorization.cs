using Microsoft.AspNetCore.Http.HttpResults;
using P2PShare.Core.TrackerApi;
using P2PShare.Tracker.Models;
using P2PShare.Tracker.Swarm;

namespace P2PShare.Tracker.Api;

/// <summary>Checks the <see cref="TrackerHeaders.PeerToken"/> of a request that acts for a peer.</summary>
internal static class PeerAuthorization
{
    /// <summary>The live peer when the request carries its token; otherwise the problem (404, 401 or 403) to send.</summary>
    public static PeerRecord? Authorize(HttpContext context, PeerService peers, string peerId, out ProblemHttpResult? problem)
    {
        string? token = context.Request.Headers[TrackerHeaders.PeerToken];
        var access = peers.Authorize(peerId, token, out var peer);
        problem = access switch
        {
            PeerAccess.Allowed => null,
            PeerAccess.UnknownPeer => Problems.NotFound($"peer {peerId} is not registered (or expired): register again"),
            PeerAccess.MissingToken => Problems.Unauthorized($"the {TrackerHeaders.PeerToken} header with the token from registration is required"),
            _ => Problems.Forbidden($"the {TrackerHeaders.PeerToken} is not the token of peer {peerId}"),
        };
        return problem is null ? peer : null;
    }
}
