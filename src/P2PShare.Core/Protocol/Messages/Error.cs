using System.Buffers.Binary;

namespace P2PShare.Core.Protocol.Messages;

/// <summary>
/// Sent just before closing the connection, saying why. Payload: <c>uint16 code | message (UTF-8, ≤ 1,024 bytes,
/// longer text is cut)</c>. Unknown codes are kept as is. A received message is cleaned for logging (<see cref="RemoteText"/>).
/// </summary>
public sealed record Error(ErrorCode Code, string Message) : PeerMessage
{
    public const int MaxMessageBytes = 1024;

    public override MessageType Type => MessageType.Error;

    internal override int FixedLength => 2 + Utf8Text.EncodedLength(Message, MaxMessageBytes);

    internal override void WriteFixed(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)Code);
        Utf8Text.Write(Message, destination[2..]);
    }

    internal static Error Decode(ReadOnlySpan<byte> payload) =>
        new((ErrorCode)BinaryPrimitives.ReadUInt16BigEndian(payload), RemoteText.Clean(Utf8Text.Read(payload[2..])));
}
