using System.Text.Json.Serialization;

namespace P2PShare.Core.Protocol.Relay;

/// <summary>
/// One signalling message on a relay control socket (a WebSocket text message holding one JSON object). Every
/// message has a <see cref="Type"/>; the other fields are set only by the types that use them. Receivers ignore
/// types they do not know and fields they do not use, so new types (hole punching) can be added without breaking
/// older peers. docs/protocol.md lists the types.
/// </summary>
public sealed record RelayMessage
{
    /// <summary>One of <see cref="RelayMessageTypes"/>.</summary>
    [JsonPropertyName("type")]
    public required string Type { get; init; }

    /// <summary>Protocol version, sent in <see cref="RelayMessageTypes.Welcome"/>.</summary>
    [JsonPropertyName("v")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Version { get; init; }

    /// <summary>The asker's number for a request, echoed in the answer so answers can be matched.</summary>
    [JsonPropertyName("id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Id { get; init; }

    /// <summary>The peer a <see cref="RelayMessageTypes.Connect"/> asks for.</summary>
    [JsonPropertyName("target")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Target { get; init; }

    /// <summary>The tunnel to join with <c>/relay?peer_id=…&amp;tunnel=…</c>.</summary>
    [JsonPropertyName("tunnel")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Tunnel { get; init; }

    /// <summary>The peer that asked for an <see cref="RelayMessageTypes.Invite"/>d tunnel.</summary>
    [JsonPropertyName("from")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? From { get; init; }

    /// <summary>The peer ID this control socket speaks for, in <see cref="RelayMessageTypes.Welcome"/>.</summary>
    [JsonPropertyName("peer_id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PeerId { get; init; }

    /// <summary>One of <see cref="RelayErrorCodes"/>, in <see cref="RelayMessageTypes.Error"/>.</summary>
    [JsonPropertyName("code")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Code { get; init; }

    /// <summary>A sentence for people, in <see cref="RelayMessageTypes.Error"/>.</summary>
    [JsonPropertyName("message")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Message { get; init; }

    /// <summary>The other peer's UDP endpoint as the tracker's rendezvous observed it, in <see cref="RelayMessageTypes.Punch"/>.</summary>
    [JsonPropertyName("endpoint")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Endpoint { get; init; }

    /// <summary>The punch token (base64url, 32 bytes) that signs both sides' punch and HELLO datagrams, in <see cref="RelayMessageTypes.Punch"/>.</summary>
    [JsonPropertyName("punch_token")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PunchToken { get; init; }

    /// <summary>True for the side that opens the UDP stream (sends HELLO) once the punch packets cross.</summary>
    [JsonPropertyName("hello")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Hello { get; init; }

    /// <summary>The other peer's static key (hex) as registered, in <see cref="RelayMessageTypes.Punch"/>.</summary>
    [JsonPropertyName("public_key")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PublicKey { get; init; }

    public static RelayMessage Failure(long? id, string? tunnel, string code, string message) =>
        new() { Type = RelayMessageTypes.Error, Id = id, Tunnel = tunnel, Code = code, Message = message };
}
