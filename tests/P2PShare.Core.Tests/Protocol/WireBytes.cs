using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using P2PShare.Core.Protocol.Framing;
using P2PShare.Core.Protocol.Messages;

namespace P2PShare.Core.Tests.Protocol;

/// <summary>Encodes messages to bytes and reads bytes back through a FrameReader over an in-memory pipe.</summary>
internal static class WireBytes
{
    public static byte[] Encode(params PeerMessage[] messages)
    {
        using var stream = new MemoryStream();
        using var writer = new FrameWriter(stream);
        foreach (var message in messages)
        {
            Assert.True(writer.WriteAsync(message, CancellationToken.None).IsCompletedSuccessfully);
        }

        return stream.ToArray();
    }

    /// <summary>A frame with the given length field, type and payload, whatever they are.</summary>
    public static byte[] Frame(uint length, byte type, byte[] payload)
    {
        var frame = new byte[5 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, length);
        frame[4] = type;
        payload.CopyTo(frame, 5);
        return frame;
    }

    public static byte[] Frame(byte type, byte[] payload) => Frame((uint)(1 + payload.Length), type, payload);

    /// <summary>A reader over exactly these bytes, then end of stream; reads complete synchronously.</summary>
    public static FrameReader ReaderOver(byte[] bytes)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        pipe.Writer.Write(bytes);
        pipe.Writer.Complete();
        return new FrameReader(pipe.Reader);
    }

    /// <summary>Reads synchronously (the pipe already holds everything).</summary>
    public static FrameReadResult ReadNow(this FrameReader reader)
    {
        var pending = reader.ReadAsync(CancellationToken.None);
        Assert.True(pending.IsCompleted, "an in-memory read must complete synchronously");
        return pending.Result;
    }

    /// <summary>Reads until something other than a message; returns the messages' types and the final result.</summary>
    public static (List<PeerMessage> Messages, FrameReadResult End) ReadAll(byte[] bytes)
    {
        var reader = ReaderOver(bytes);
        var messages = new List<PeerMessage>();
        while (true)
        {
            var result = reader.ReadNow();
            if (result.Status != FrameReadStatus.Message)
            {
                return (messages, result);
            }

            messages.Add(result.Message!);
            result.Dispose();
        }
    }
}
