using System.Net;
using P2PShare.Tracker.Configuration;

namespace P2PShare.Tracker.Tests.Configuration;

public sealed class TrackerOptionsReaderTests
{
    [Fact]
    public void TryRead_NothingSet_UsesTheDefaults()
    {
        bool ok = TrackerOptionsReader.TryRead(new(), _ => null, out var options, out _);

        Assert.True(ok);
        Assert.Equal(new ListenAddress(null, false, 8080), options.Listen);
        Assert.Empty(options.ApiKeys);
        Assert.Equal(TimeSpan.FromSeconds(30), options.HeartbeatInterval);
        Assert.Equal(TimeSpan.FromSeconds(90), options.ExpiryAfter);
    }

    [Fact]
    public void TryRead_EnvironmentOnly_UsesTheEnvironment()
    {
        var environment = new Dictionary<string, string>
        {
            ["TRACKER_ADDR"] = "127.0.0.1:9000",
            ["API_KEYS"] = " one, two ,,three ",
            ["HEARTBEAT_INTERVAL"] = "12",
            ["MAX_BODY_BYTES"] = "4096",
            ["REGISTER_RATE_LIMIT"] = "0",
            ["STATS_INTERVAL"] = "2",
        };

        bool ok = TrackerOptionsReader.TryRead(new(), environment.GetValueOrDefault, out var options, out _);

        Assert.True(ok);
        Assert.Equal(new ListenAddress(IPAddress.Loopback, false, 9000), options.Listen);
        Assert.Equal(["one", "two", "three"], options.ApiKeys);
        Assert.Equal(TimeSpan.FromSeconds(12), options.HeartbeatInterval);
        Assert.Equal(4096, options.MaxBodyBytes);
        Assert.Equal(0, options.RegisterRateLimit);
        Assert.Equal(TimeSpan.FromSeconds(2), options.StatsInterval);
    }

    [Fact]
    public void TryRead_FlagAndEnvironment_FlagWins()
    {
        var environment = new Dictionary<string, string> { ["TRACKER_ADDR"] = ":9000", ["HEARTBEAT_INTERVAL"] = "12" };

        TrackerOptionsReader.TryRead(new(Addr: ":7000", HeartbeatInterval: 5), environment.GetValueOrDefault, out var options, out _);

        Assert.Equal(7000, options.Listen.Port);
        Assert.Equal(TimeSpan.FromSeconds(5), options.HeartbeatInterval);
    }

    [Fact]
    public void TryRead_FlagOutOfRange_NamesTheFlag()
    {
        bool ok = TrackerOptionsReader.TryRead(new(MaxBodyBytes: 10), _ => null, out _, out string? error);

        Assert.False(ok);
        Assert.Equal("invalid value '10' for -max-body-bytes: expected a whole number from 1024 to 1073741824", error);
    }

    [Theory]
    [InlineData("TRACKER_ADDR", "nonsense", "invalid value 'nonsense' for TRACKER_ADDR: expected :PORT, HOST:PORT")]
    [InlineData("TRACKER_ADDR", "example.com:80", "invalid value 'example.com:80' for TRACKER_ADDR: expected")]
    [InlineData("HEARTBEAT_INTERVAL", "soon", "invalid value 'soon' for HEARTBEAT_INTERVAL: expected a whole number from 1 to 86400")]
    [InlineData("HEARTBEAT_INTERVAL", "0", "invalid value '0' for HEARTBEAT_INTERVAL: expected a whole number from 1 to 86400")]
    [InlineData("MAX_BODY_BYTES", "10", "invalid value '10' for MAX_BODY_BYTES: expected a whole number from 1024 to 1073741824")]
    [InlineData("REGISTER_RATE_LIMIT", "-1", "invalid value '-1' for REGISTER_RATE_LIMIT: expected a whole number from 0 to")]
    public void TryRead_InvalidValue_ReportsIt(string variable, string value, string expected)
    {
        bool ok = TrackerOptionsReader.TryRead(new(), name => name == variable ? value : null, out _, out string? error);

        Assert.False(ok);
        Assert.Contains(expected, error);
    }

    [Theory]
    [InlineData(":8080", null, false, 8080)]
    [InlineData("0.0.0.0:80", "0.0.0.0", false, 80)]
    [InlineData("127.0.0.1:0", "127.0.0.1", false, 0)]
    [InlineData("[::1]:8080", "::1", false, 8080)]
    [InlineData("localhost:5000", null, true, 5000)]
    [InlineData("http://127.0.0.1:8080/", "127.0.0.1", false, 8080)]
    [InlineData("*:8080", null, false, 8080)]
    public void Parse_ValidAddress_ReturnsHostAndPort(string text, string? address, bool localhost, int port)
    {
        var parsed = ListenAddress.Parse(text);

        Assert.Equal(new ListenAddress(address is null ? null : IPAddress.Parse(address), localhost, port), parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("8080")]
    [InlineData(":")]
    [InlineData(":65536")]
    [InlineData(":-1")]
    [InlineData("host:80")]
    [InlineData("[::1]")]
    public void Parse_InvalidAddress_ReturnsNull(string text) => Assert.Null(ListenAddress.Parse(text));

    [Fact]
    public void TryRead_ApiKeysFile_AddsItsKeysSkippingBlankAndCommentLines()
    {
        string file = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(file, ["# operators", "file-key-1", "", "  file-key-2  "]);
            var environment = new Dictionary<string, string> { ["API_KEYS"] = "inline", ["API_KEYS_FILE"] = file };

            bool ok = TrackerOptionsReader.TryRead(new(), environment.GetValueOrDefault, out var options, out string? error);

            Assert.True(ok, error);
            Assert.Equal(["inline", "file-key-1", "file-key-2"], options.ApiKeys);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void TryRead_SecurityAndLimitFlags_AreRead()
    {
        var flags = new TrackerOptionsReader.Flags(TrustedProxies: "10.0.0.0/8, 127.0.0.1", MaxFilesPerPeer: 5, MaxFiles: 6, MaxManifestBytes: 7000, RegisterBurst: 9, KeyFile: "/tmp/k");

        bool ok = TrackerOptionsReader.TryRead(flags, _ => null, out var options, out string? error);

        Assert.True(ok, error);
        Assert.Equal([IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("127.0.0.1/32")], options.TrustedProxies);
        Assert.Equal((5, 6, 7000L, 9, "/tmp/k"), (options.MaxFilesPerPeer, options.MaxFiles, options.MaxManifestBytes, options.RegisterBurst, options.KeyFile));
    }

    [Theory]
    [InlineData("TRUSTED_PROXIES", "not-an-ip", "invalid value 'not-an-ip' for TRUSTED_PROXIES: expected IP addresses or CIDR networks")]
    [InlineData("TLS_CERT", "/nonexistent/cert.pem", "TLS_CERT '/nonexistent/cert.pem' needs its key (-tls-key or TLS_KEY) as well")]
    [InlineData("API_KEYS_FILE", "/nonexistent/keys", "cannot read")]
    [InlineData("MAX_FILES", "0", "whole number from 1")]
    public void TryRead_BadSecuritySetting_IsReported(string name, string value, string expected)
    {
        var environment = new Dictionary<string, string> { [name] = value };

        bool ok = TrackerOptionsReader.TryRead(new(), environment.GetValueOrDefault, out _, out string? error);

        Assert.False(ok);
        Assert.Contains(expected, error);
    }
}
