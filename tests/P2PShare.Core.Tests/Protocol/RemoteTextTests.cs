using P2PShare.Core.Protocol;
using P2PShare.Core.Protocol.Framing;
using P2PShare.Core.Protocol.Messages;

namespace P2PShare.Core.Tests.Protocol;

public sealed class RemoteTextTests
{
    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("line\nforged log line", "line forged log line")]
    [InlineData("\u001b[31mred\u001b[0m", " [31mred [0m")]
    [InlineData("abc\u202Eevil", "abc evil")]
    [InlineData("tab\there\r", "tab here ")]
    [InlineData("ñ and 日本", "ñ and 日本")]
    public void Clean_ControlAndFormatCharacters_BecomeSpaces(string received, string expected) =>
        Assert.Equal(expected, RemoteText.Clean(received));

    [Fact]
    public void Clean_LongText_IsCutAndMarked()
    {
        string clean = RemoteText.Clean(new string('x', 5000));
        Assert.Equal(new string('x', RemoteText.MaxLength) + "…", clean);
    }

    [Fact]
    public void Decode_ErrorFromRemote_ArrivesCleaned()
    {
        var bytes = WireBytes.Encode(new Error(ErrorCode.Internal, "boom\r\n2026-12-04 peer shutting down\u0007"));
        var error = (Error)WireBytes.ReadAll(bytes).Messages.Single();
        Assert.Equal("boom  2026-12-04 peer shutting down ", error.Message);
    }

    [Fact]
    public void Decode_HelloAgentFromRemote_ArrivesCleaned()
    {
        var hello = Hello.ForThisBuild(new string('a', 40), 6881, "agent\n\u001b]0;title\u0007");
        var decoded = (Hello)WireBytes.ReadAll(WireBytes.Encode(hello)).Messages.Single();
        Assert.Equal("agent  ]0;title ", decoded.Agent);
        Assert.True(FrameLimits.MaxHelloPayload > hello.Agent.Length);
    }
}
