namespace P2PShare.Core.Tests.Crypto;

/// <summary>The hard timeout every async test runs under, combined with the test run's own cancellation.</summary>
internal static class TestTimeout
{
    public static CancellationTokenSource Create(int seconds = 30)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        source.CancelAfter(TimeSpan.FromSeconds(seconds));
        return source;
    }
}
