using System.Buffers.Binary;

namespace P2PShare.Core.Protocol.Messages;

/// <summary>
/// The first message each side sends: the protocol versions it speaks, its peer ID (which must match the key the
/// secure channel authenticated), the TCP port it accepts connections on (0 = none) and a free-form agent string.
/// Payload: <c>uint16 min_version | uint16 max_version | peer_id[20] | uint16 listen_port | uint8 agent_length |
/// agent (UTF-8)</c>, then bytes later versions may add, which version 1 ignores.
/// </summary>
public sealed record Hello(ushort MinVersion, ushort MaxVersion, string PeerId, ushort ListenPort, string Agent) : PeerMessage
{
    public const int MaxAgentBytes = 255;

    internal const int MinPayloadLength = 2 + 2 + WireIds.PeerIdLength + 2 + 1;

    public override MessageType Type => MessageType.Hello;

    internal override int FixedLength => MinPayloadLength + Utf8Text.EncodedLength(Agent, MaxAgentBytes);

    /// <summary>This build's Hello: versions <see cref="ProtocolVersions.Minimum"/>–<see cref="ProtocolVersions.Maximum"/>.</summary>
    public static Hello ForThisBuild(string peerId, ushort listenPort, string agent) =>
        new(ProtocolVersions.Minimum, ProtocolVersions.Maximum, peerId, listenPort, agent);

    internal override void WriteFixed(Span<byte> destination)
    {
        if (MinVersion == 0 || MinVersion > MaxVersion)
        {
            throw new ArgumentException($"invalid version range {MinVersion}–{MaxVersion}");
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination, MinVersion);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], MaxVersion);
        WireIds.WritePeerId(PeerId, destination[4..]);
        BinaryPrimitives.WriteUInt16BigEndian(destination[24..], ListenPort);
        int agentLength = Utf8Text.Write(Agent, destination.Slice(MinPayloadLength, Math.Min(MaxAgentBytes, destination.Length - MinPayloadLength)));
        destination[26] = (byte)agentLength;
    }

    internal static Hello? Decode(ReadOnlySpan<byte> payload, out string? error)
    {
        ushort min = BinaryPrimitives.ReadUInt16BigEndian(payload);
        ushort max = BinaryPrimitives.ReadUInt16BigEndian(payload[2..]);
        if (min == 0 || min > max)
        {
            error = $"Hello has an invalid version range {min}–{max}";
            return null;
        }

        int agentLength = payload[26];
        if (payload.Length < MinPayloadLength + agentLength)
        {
            error = $"Hello agent of {agentLength} bytes runs past the end of the frame";
            return null;
        }

        error = null;
        return new Hello(
            min,
            max,
            WireIds.ReadPeerId(payload[4..]),
            BinaryPrimitives.ReadUInt16BigEndian(payload[24..]),
            RemoteText.Clean(Utf8Text.Read(payload.Slice(MinPayloadLength, agentLength))));
    }
}
