using P2PShare.Peer.Node;

namespace P2PShare.Peer.Tests.Layering;

/// <summary>
/// The peer's folders form a one-way chain, Cli → Control → Node → Configuration → Downloader → Connection, Client →
/// P2P → Storage (docs/architecture.md): a type may use types of its own layer and of lower layers only. Downloader, Node
/// and connection code return their own snapshot records, and only Control maps them to the API's JSON shapes.
/// </summary>
public sealed class LayeringTests
{
    /// <summary>Higher rank = higher layer. Layers of equal rank must not use each other either.</summary>
    private static readonly (string Namespace, int Rank)[] Layers =
    [
        ("Program", 9),
        ("P2PShare.Peer.Cli", 8),
        ("P2PShare.Peer.Control", 7),
        ("P2PShare.Peer.Node", 6),
        ("P2PShare.Peer.Configuration", 5),
        ("P2PShare.Peer.Downloader", 4),
        ("P2PShare.Peer.Connection", 3),
        ("P2PShare.Peer.Client", 3),
        ("P2PShare.Peer.P2P", 2),
        ("P2PShare.Peer.Storage", 1),
    ];

    [Fact]
    public void NoTypeOfThePeerUsesATypeOfAHigherOrSiblingLayer()
    {
        var references = TypeReferences.Read(typeof(PeerNode).Assembly.Location);

        var upward = (
            from pair in references
            let user = LayerOf(pair.Key)
            where user is not null
            from used in pair.Value
            let target = LayerOf(used)
            where target is not null && target.Value.Namespace != user.Value.Namespace && target.Value.Rank >= user.Value.Rank
            orderby pair.Key, used
            select $"{pair.Key} uses {used}").ToList();

        Assert.True(upward.Count == 0, $"{upward.Count} references against the layering:\n{string.Join('\n', upward)}");
    }

    [Fact]
    public void EveryNamespaceOfThePeerBelongsToALayer()
    {
        var unplaced = TypeReferences.Read(typeof(PeerNode).Assembly.Location).Keys
            .Where(t => t.StartsWith("P2PShare.Peer.", StringComparison.Ordinal) && LayerOf(t) is null)
            .ToList();

        Assert.True(unplaced.Count == 0, $"types outside every layer: {string.Join(", ", unplaced)}");
    }

    [Fact]
    public void TheReaderSeesTypesUsedOnlyInsideMethodBodies()
    {
        var references = TypeReferences.Read(typeof(LayeringTests).Assembly.Location);

        var used = references[typeof(BodyOnlyUser).FullName!];

        Assert.Contains(typeof(ConstructedMarker).FullName!, used);
        Assert.Contains(typeof(GenericArgumentMarker).FullName!, used);
        Assert.Contains(typeof(TypeOfMarker).FullName!, used);
        Assert.DoesNotContain(typeof(LayeringTests).FullName!, used);
    }

    private static (string Namespace, int Rank)? LayerOf(string typeName)
    {
        foreach (var layer in Layers)
        {
            if (typeName == layer.Namespace || typeName.StartsWith(layer.Namespace + ".", StringComparison.Ordinal))
            {
                return layer;
            }
        }

        return null;
    }
}

/// <summary>Uses the markers only inside a method body, behind a signature that names none of them.</summary>
internal static class BodyOnlyUser
{
    public static object Make() => new List<GenericArgumentMarker> { new() }.Count + typeof(TypeOfMarker).Name + new ConstructedMarker();
}

internal sealed class ConstructedMarker;

internal sealed class GenericArgumentMarker;

internal sealed class TypeOfMarker;
