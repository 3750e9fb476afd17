namespace P2PShare.Core.Protocol.Relay;

/// <summary>The <see cref="RelayMessage.Type"/> values of relay protocol version <see cref="Version"/>.</summary>
public static class RelayMessageTypes
{
    /// <summary>The version spoken by this build; sent in <see cref="Welcome"/>.</summary>
    public const int Version = 1;

    /// <summary>Tracker → peer, first message on a control socket: version and the peer's ID.</summary>
    public const string Welcome = "welcome";

    /// <summary>Peer → tracker: "connect me to <c>target</c>" (with an <c>id</c>).</summary>
    public const string Connect = "connect";

    /// <summary>Tracker → asker, answer to <see cref="Connect"/>: join <c>tunnel</c> now.</summary>
    public const string Tunnel = "tunnel";

    /// <summary>Tracker → target: <c>from</c> wants a tunnel; join <c>tunnel</c> to accept.</summary>
    public const string Invite = "invite";

    /// <summary>Tracker → peer: a request (<c>id</c>) or a tunnel (<c>tunnel</c>) failed; <c>code</c> says why.</summary>
    public const string Error = "error";

    /// <summary>Peer → tracker: "help me punch a UDP hole to <c>target</c>" (with an <c>id</c>).</summary>
    public const string PunchRequest = "punch_request";

    /// <summary>
    /// Tracker → both peers: punch toward <c>endpoint</c> with <c>punch_token</c>; the asker gets it as the answer
    /// (with its <c>id</c>), the target unasked (with <c>from</c>). <c>hello</c> says which side opens the stream.
    /// </summary>
    public const string Punch = "punch";

    /// <summary>Tunnel socket, tracker → both ends: the other end has joined, bytes flow from now on.</summary>
    public const string Joined = "joined";
}
