using System.Net;
using P2PShare.Core.Protocol.Rendezvous;

namespace P2PShare.Tracker.Models;

/// <summary>What the UDP rendezvous learnt from a peer's last authenticated binding request on the primary port.</summary>
internal sealed record UdpObservation(IPEndPoint Endpoint, NatMapping Mapping, DateTimeOffset SeenAt);
