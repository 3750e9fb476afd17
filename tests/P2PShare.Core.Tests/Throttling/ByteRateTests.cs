using P2PShare.Core.Throttling;

namespace P2PShare.Core.Tests.Throttling;

public sealed class ByteRateTests
{
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("1500", 1500L)]
    [InlineData("10MB", 10_000_000L)]
    [InlineData("10mb", 10_000_000L)]
    [InlineData("20MB/s", 20_000_000L)]
    [InlineData("512KiB", 524_288L)]
    [InlineData("1.5GB", 1_500_000_000L)]
    [InlineData("2 MiB", 2_097_152L)]
    [InlineData("100K", 100_000L)]
    [InlineData("64B", 64L)]
    public void TryParse_HumanRates_BytesPerSecond(string text, long expected)
    {
        Assert.True(ByteRate.TryParse(text, out long rate, out string? error), error);
        Assert.Equal(expected, rate);
    }

    [Theory]
    [InlineData("")]
    [InlineData("fast")]
    [InlineData("-5MB")]
    [InlineData("10XB")]
    [InlineData("1e99GB")]
    public void TryParse_NotARate_ExplainsWithExamples(string text)
    {
        Assert.False(ByteRate.TryParse(text, out _, out string? error));
        Assert.Contains("10MB", error);
    }
}
