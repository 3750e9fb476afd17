using System.Net;
using System.Text.Json;
using P2PShare.Core.Protocol.Rendezvous;
using P2PShare.Core.Transport;
using P2PShare.Peer.Connection;
using P2PShare.Peer.Control;
using P2PShare.Peer.Downloader;
using P2PShare.Peer.Node;
using P2PShare.Peer.P2P;
using P2PShare.Peer.Storage;

namespace P2PShare.Peer.Tests.Control;

/// <summary>
/// The node's snapshot records as the control API and <c>--json</c> print them: the field names and string values of
/// docs/features/peer-node.md, byte for byte, whatever the enums underneath are called.
/// </summary>
public sealed class ControlMappingTests
{
    private const string PeerId = "6422a24c7e9b9c297e9d16fae2389a4d55e99b36";
    private const string FileId = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    [Fact]
    public void DownloadStates_HaveTheDocumentedNames() =>
        Assert.Equal(["active", "paused", "completed", "failed"], Enum.GetValues<DownloadState>().Select(ControlMapping.StateName));

    [Fact]
    public void Download_PrintsTheDocumentedFields()
    {
        var download = new DownloadSnapshot(FileId, "a.bin", 10, DownloadState.Paused, 1, 2, 5, 1.5, 1, "/out/a.bin", null, new Dictionary<string, long> { [PeerId] = 5 });

        Assert.Equal(
            $$$"""{"hash":"{{{FileId}}}","name":"a.bin","size":10,"state":"paused","verified_chunks":1,"chunk_count":2,"bytes_done":5,"rate_bytes_per_second":1.5,"peers":1,"path":"/out/a.bin","error":null,"bytes_from_peers":{"{{{PeerId}}}":5}}""",
            Json(ControlMapping.ToView(download)));
    }

    [Fact]
    public void Connections_PrintTheirPathAndDirectionByName()
    {
        var at = new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);
        var inbound = new ConnectionSnapshot(PeerId, "127.0.0.1:5000", ConnectionKind.Relay, ConnectionDirection.Inbound, 12, 100, 200, at);
        var outbound = inbound with { Path = ConnectionKind.HolePunch, Direction = ConnectionDirection.Outbound, RttMs = null, DialMs = 379 };

        Assert.Equal(
            $$"""{"peer_id":"{{PeerId}}","address":"127.0.0.1:5000","path":"relay","direction":"inbound","rtt_ms":12,"bytes_up":100,"bytes_down":200,"connected_at":"2026-12-05T12:00:00+00:00","dial_ms":null}""",
            Json(ControlMapping.ToView(inbound)));
        Assert.Equal(
            $$"""{"peer_id":"{{PeerId}}","address":"127.0.0.1:5000","path":"holepunch","direction":"outbound","rtt_ms":null,"bytes_up":100,"bytes_down":200,"connected_at":"2026-12-05T12:00:00+00:00","dial_ms":379}""",
            Json(ControlMapping.ToView(outbound)));
    }

    [Fact]
    public void SharedFile_PrintsHashNameSizeAndPath() =>
        Assert.Equal(
            $$"""{"hash":"{{FileId}}","name":"a.bin","size":10,"path":"/data/a.bin"}""",
            Json(ControlMapping.ToView(new SharedFile("/data/a.bin", 10, 0, FileId, "a.bin", Shared: true))));

    [Fact]
    public void Status_WithDhtAndHolePunch_PrintsTheDocumentedFieldsAndTheDhtShare()
    {
        var node = new NodeSnapshot(
            PeerId, "/data/alice", 38707, new Uri("http://127.0.0.1:53013"), true, 1, 2, 3, 3001958, 2586, TimeSpan.FromSeconds(27.5),
            new DhtSnapshot(PeerId, 6881, 12, 10, 7, 1, 4, 3, 1),
            new HolePunchSnapshot(40000, IPEndPoint.Parse("203.0.113.5:40001"), NatMapping.EndpointIndependent));

        Assert.Equal(
            $$$"""{"peer_id":"{{{PeerId}}}","data_dir":"/data/alice","p2p_port":38707,"tracker":"http://127.0.0.1:53013/","tracker_connected":true,"shared_files":1,"active_downloads":2,"connections":3,"bytes_up":3001958,"bytes_down":2586,"uptime_seconds":27.5,"dht":{"node_id":"{{{PeerId}}}","port":6881,"routing_table_size":12,"good_nodes":10,"lookups":7,"announced_files":1,"holders_found":4,"holders_through_dht":3,"holders_only_through_dht":1,"dht_share":0.75},"hole_punch":{"udp_port":40000,"public_endpoint":"203.0.113.5:40001","nat_mapping":"endpoint-independent"}}""",
            Json(ControlMapping.ToView(node)));
    }

    [Fact]
    public void Status_BeforeAnyLookupAndWithoutDhtOrHolePunch_PrintsNulls()
    {
        var dht = new DhtSnapshot(PeerId, 6881, 0, 0, 0, 0, 0, 0, 0);
        var node = new NodeSnapshot(PeerId, "/d", 1, new Uri("http://t:8080/"), false, 0, 0, 0, 0, 0, TimeSpan.Zero, null, null);

        Assert.Null(ControlMapping.ToView(dht).DhtShare);
        Assert.EndsWith("""
            "uptime_seconds":0,"dht":null,"hole_punch":null}
            """, Json(ControlMapping.ToView(node)));
        Assert.Contains("\"nat_mapping\":\"unknown\"", Json(ControlMapping.ToView(new HolePunchSnapshot(1, null, NatMapping.Unknown))));
    }

    private static string Json<T>(T view) => JsonSerializer.Serialize(view, ControlJson.Options);
}
