using System.Text.Json.Serialization;
using P2PShare.Core.Manifests;

namespace P2PShare.Core.TrackerApi;

/// <summary>
/// Source-generated JSON metadata for every tracker DTO, shared by the tracker and its clients. Null for a
/// non-nullable property is rejected, as is a missing <c>required</c> property.
/// </summary>
[JsonSourceGenerationOptions(RespectNullableAnnotations = true)]
[JsonSerializable(typeof(RegisterChallengeResponse))]
[JsonSerializable(typeof(RegisterRequest))]
[JsonSerializable(typeof(RegisterResponse))]
[JsonSerializable(typeof(HeartbeatRequest))]
[JsonSerializable(typeof(HeartbeatResponse))]
[JsonSerializable(typeof(PeerListResponse))]
[JsonSerializable(typeof(PeerInfo))]
[JsonSerializable(typeof(AnnounceRequest))]
[JsonSerializable(typeof(AnnounceResponse))]
[JsonSerializable(typeof(WithdrawRequest))]
[JsonSerializable(typeof(FileManifest))]
[JsonSerializable(typeof(FileListResponse))]
[JsonSerializable(typeof(FilePeersResponse))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(TrackerEvent))]
[JsonSerializable(typeof(PeerLeftEvent))]
[JsonSerializable(typeof(FileAnnouncedEvent))]
[JsonSerializable(typeof(FileRemovedEvent))]
[JsonSerializable(typeof(StatsEvent))]
[JsonSerializable(typeof(NetworkHistoryResponse))]
public sealed partial class TrackerApiJsonContext : JsonSerializerContext;
