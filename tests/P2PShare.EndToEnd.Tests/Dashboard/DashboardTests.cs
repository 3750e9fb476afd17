using System.Net.Http.Json;
using Microsoft.Playwright;
using P2PShare.Core.TrackerApi;
using P2PShare.EndToEnd.Tests.Harness;

namespace P2PShare.EndToEnd.Tests.Dashboard;

/// <summary>The tracker's /dashboard in a real browser against a real tracker and real peers.</summary>
public sealed class DashboardTests(ITestOutputHelper output)
{
    private const string XssName = "<img src=x onerror=alert(1)>";
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(60);

    /// <summary>Heartbeats and stats every second, so live updates show within the test's patience.</summary>
    private static readonly Dictionary<string, string> FastTracker = new() { ["HEARTBEAT_INTERVAL"] = "1", ["STATS_INTERVAL"] = "1" };

    [Fact]
    public async Task OpenTracker_ShowsTheApiState_FollowsPeersLive_SearchesSortsAndEscapesNames()
    {
        await using var browser = await DashboardBrowser.LaunchAsync();
        await using var cluster = new TestCluster(output);
        await cluster.StartTrackerAsync(FastTracker);
        var alice = await cluster.StartPeerAsync("alice", env: new Dictionary<string, string> { ["PEER_NAME"] = "alice" });
        string input = cluster.DataDir("input");
        foreach (var (name, size, seed) in new[] { ("alpha.bin", 300_000L, 1), ("zeta.bin", 100_000L, 2), (XssName, 200_000L, 3) })
        {
            var shared = await cluster.RunPeerAsync("alice", Long, null, "share", TestCluster.WriteRandomFile(input, name, size, seed));
            Assert.True(shared.ExitCode == 0, shared.Output);
        }

        using var api = new HttpClient { BaseAddress = new Uri(cluster.TrackerUrl + "/") };
        var page = browser.Page;
        var response = await page.GotoAsync(cluster.TrackerUrl + "/dashboard");
        Assert.NotNull(response);
        Assert.Contains("script-src 'self'", (await response.AllHeadersAsync())["content-security-policy"]);
        await Assertions.Expect(page.Locator("#feed-status")).ToHaveTextAsync("live");

        // Stats and lists match what the API says.
        var stats = (await api.GetFromJsonAsync("api/stats", TrackerApiJsonContext.Default.StatsEvent, cluster.Token))!;
        var files = (await api.GetFromJsonAsync("api/files?limit=500", TrackerApiJsonContext.Default.FileListResponse, cluster.Token))!;
        var peers = (await api.GetFromJsonAsync("api/peers", TrackerApiJsonContext.Default.PeerListResponse, cluster.Token))!;
        Assert.Equal(3, files.Total);
        await Assertions.Expect(page.Locator("#stat-peers")).ToHaveTextAsync(stats.Peers.ToString());
        await Assertions.Expect(page.Locator("#stat-files")).ToHaveTextAsync(files.Total.ToString());
        await Assertions.Expect(page.Locator("#stat-bytes")).ToHaveTextAsync("585.9 KiB");
        Assert.Equal(600_000, stats.TotalBytes);
        Assert.Equal(peers.Peers.Select(p => p.PeerId).Order(), (await RowAttributesAsync(page, "#peers tbody tr", "data-peer-id")).Order());
        Assert.Equal(files.Files.Select(f => f.Hash).Order(), (await RowAttributesAsync(page, "#files tbody tr", "data-hash")).Order());
        await Assertions.Expect(page.Locator($"#peers tbody tr[data-peer-id='{alice.PeerId}'] td").First).ToHaveTextAsync("alice");

        // The hostile name is text: no element was made from it and no script ran.
        await Assertions.Expect(page.Locator("#files tbody td", new PageLocatorOptions { HasTextString = XssName })).ToHaveCountAsync(1);
        Assert.Equal(0, await page.Locator("#files img, #holders img").CountAsync());

        // Search, then sort by size both ways.
        await page.FillAsync("#file-search", "alp");
        await Assertions.Expect(page.Locator("#files tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#files tbody tr td").First).ToHaveTextAsync("alpha.bin");
        await page.FillAsync("#file-search", "");
        await page.ClickAsync("#files th[data-key='size']");
        Assert.Equal(["zeta.bin", XssName, "alpha.bin"], await FirstCellsAsync(page, "#files tbody tr"));
        await page.ClickAsync("#files th[data-key='size']");
        Assert.Equal(["alpha.bin", XssName, "zeta.bin"], await FirstCellsAsync(page, "#files tbody tr"));

        // A click shows the file's holders.
        await page.ClickAsync($"#files tbody tr[data-hash='{files.Files.Single(f => f.Name == XssName).Hash}']");
        await Assertions.Expect(page.Locator("#holders-name")).ToHaveTextAsync(XssName);
        await Assertions.Expect(page.Locator("#holders-table tbody td[title]")).ToHaveAttributeAsync("title", alice.PeerId);

        // A peer that starts now appears without a reload, and leaves when it stops.
        var bob = await cluster.StartPeerAsync("bob", env: new Dictionary<string, string> { ["PEER_NAME"] = "bob" });
        var bobRow = page.Locator($"#peers tbody tr[data-peer-id='{bob.PeerId}']");
        await Assertions.Expect(bobRow).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#stat-peers")).ToHaveTextAsync("2");

        // Bob downloads from alice: alice's next heartbeat reports the bytes and its connection, and the page shows
        // them from the peer.updated event, without a reload.
        var downloaded = await cluster.RunPeerAsync("bob", Long, null, "download", files.Files.Single(f => f.Name == "alpha.bin").Hash);
        Assert.True(downloaded.ExitCode == 0, downloaded.Output);
        var aliceRow = page.Locator($"#peers tbody tr[data-peer-id='{alice.PeerId}']");
        await Assertions.Expect(aliceRow.Locator("td").Nth(5)).Not.ToHaveAttributeAsync("title", new System.Text.RegularExpressions.Regex("^0 B "));
        await browser.ScreenshotAsync("dashboard.png");
        await bob.Process.StopAsync(TimeSpan.FromSeconds(10));
        await Assertions.Expect(bobRow).ToHaveCountAsync(0);

        Assert.Empty(browser.Dialogs);
        Assert.Empty(browser.ConsoleErrors);
    }

    [Fact]
    public async Task KeyedTracker_AsksForAKey_RefusesAWrongOne_KeepsTheRightOneInAnHttpOnlyCookie()
    {
        const string key = "dashboard-test-key-0123456789";
        await using var browser = await DashboardBrowser.LaunchAsync();
        await using var cluster = new TestCluster(output);
        await cluster.StartTrackerAsync(new Dictionary<string, string>(FastTracker) { ["API_KEYS"] = key });
        var alice = await cluster.StartPeerAsync("alice", env: new Dictionary<string, string> { ["API_KEY"] = key });
        var page = browser.Page;

        await page.GotoAsync(cluster.TrackerUrl + "/dashboard");
        await Assertions.Expect(page.Locator("#login")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#main")).ToBeHiddenAsync();

        await page.FillAsync("#login-key", "not-the-key");
        await page.ClickAsync("#login-form button");
        await Assertions.Expect(page.Locator("#login-error")).ToHaveTextAsync("That API key was refused.");
        await Assertions.Expect(page.Locator("#main")).ToBeHiddenAsync();
        Assert.Empty(await browser.Context.CookiesAsync());

        await page.FillAsync("#login-key", key);
        await page.ClickAsync("#login-form button");
        await Assertions.Expect(page.Locator("#main")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#feed-status")).ToHaveTextAsync("live");
        await Assertions.Expect(page.Locator($"#peers tbody tr[data-peer-id='{alice.PeerId}']")).ToHaveCountAsync(1);
        Assert.DoesNotContain(key, page.Url);

        var cookie = Assert.Single(await browser.Context.CookiesAsync());
        Assert.Equal(key, cookie.Value);
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.Equal("", await page.EvaluateAsync<string>("document.cookie"));

        // The cookie outlives a reload; signing out ends it.
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#main")).ToBeVisibleAsync();
        await page.ClickAsync("#logout");
        await Assertions.Expect(page.Locator("#login")).ToBeVisibleAsync();
        Assert.Empty(await browser.Context.CookiesAsync());
    }

    private static Task<string[]> RowAttributesAsync(IPage page, string rows, string attribute) =>
        page.Locator(rows).EvaluateAllAsync<string[]>($"rows => rows.map(row => row.getAttribute('{attribute}'))");

    private static async Task<string[]> FirstCellsAsync(IPage page, string rows) =>
        [.. await page.Locator(rows + " td:first-child").AllTextContentsAsync()];
}
