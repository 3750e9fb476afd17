using System.Text.Json.Serialization;

namespace P2PShare.Core.Protocol.Relay;

/// <summary>Source-generated JSON for relay control messages.</summary>
[JsonSerializable(typeof(RelayMessage))]
public sealed partial class RelayJsonContext : JsonSerializerContext;
