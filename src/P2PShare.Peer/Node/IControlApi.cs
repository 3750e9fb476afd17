namespace P2PShare.Peer.Node;

/// <summary>
/// The control API as the node sees it. The layer above supplies it (the node never names the API's types); the node
/// starts it while registering with the tracker, publishes it once ready for one-shot verbs, and disposes of it on stop.
/// </summary>
internal interface IControlApi : IAsyncDisposable
{
    /// <summary>Where the API listens, for the ready line.</summary>
    string Url { get; }

    /// <summary>Makes the API findable by one-shot verbs (control.json); called once the node is ready for them.</summary>
    void Publish();
}
