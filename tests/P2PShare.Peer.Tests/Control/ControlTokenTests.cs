using System.Text;
using Microsoft.Extensions.Primitives;
using P2PShare.Peer.Control;

namespace P2PShare.Peer.Tests.Control;

public sealed class ControlTokenTests
{
    private static readonly byte[] Token = Encoding.ASCII.GetBytes("0123456789abcdef0123456789abcdef0123456789abcdef");

    [Fact]
    public void TokenMatches_TheToken_True() =>
        Assert.True(ControlServer.TokenMatches(new StringValues("0123456789abcdef0123456789abcdef0123456789abcdef"), Token));

    [Theory]
    [InlineData("")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdeX")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcde")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdeé")]
    public void TokenMatches_AnythingElse_False(string given) =>
        Assert.False(ControlServer.TokenMatches(new StringValues(given), Token));

    [Fact]
    public void TokenMatches_MissingOrRepeatedHeader_False()
    {
        string token = Encoding.ASCII.GetString(Token);
        Assert.False(ControlServer.TokenMatches(StringValues.Empty, Token));
        Assert.False(ControlServer.TokenMatches(new StringValues([token, token]), Token));
    }
}
