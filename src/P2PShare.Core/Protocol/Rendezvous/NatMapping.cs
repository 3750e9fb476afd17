namespace P2PShare.Core.Protocol.Rendezvous;

/// <summary>
/// How a peer's NAT maps its UDP socket, as the peer measured it by asking the tracker's two rendezvous ports from
/// one socket: the same public endpoint both times means endpoint-independent mapping (punchable from anywhere
/// the filter lets in), different endpoints mean endpoint-dependent ("symmetric").
/// </summary>
public enum NatMapping : byte
{
    Unknown = 0,
    EndpointIndependent = 1,
    EndpointDependent = 2,
}

/// <summary>The names of <see cref="NatMapping"/> in JSON, status output and docs.</summary>
public static class NatMappingNames
{
    public static string Of(NatMapping mapping) => mapping switch
    {
        NatMapping.EndpointIndependent => "endpoint-independent",
        NatMapping.EndpointDependent => "endpoint-dependent",
        _ => "unknown",
    };
}
