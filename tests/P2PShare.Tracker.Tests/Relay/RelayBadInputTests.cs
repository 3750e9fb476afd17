using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using P2PShare.Core.Protocol.Relay;
using P2PShare.Net.Relay;
using P2PShare.Tracker.Relay;
using P2PShare.Tracker.Tests.Support;
using static P2PShare.Tracker.Tests.Relay.RelayTunnelTests;

namespace P2PShare.Tracker.Tests.Relay;

public sealed class RelayBadInputTests
{
    [Fact]
    public async Task ControlSocket_WithoutToken_Is401_WithAnotherPeersToken_Is403_ForAnUnknownPeer_Is404()
    {
        await using var host = await TrackerHost.StartAsync();
        var a = await host.Client.RegisterAsync(TestPeer.Create(), host.Token);
        var b = TestPeer.Create();
        var bRegistration = await host.Client.RegisterAsync(b, host.Token);

        Assert.Equal(HttpStatusCode.Unauthorized, await RefusalAsync(host, $"peer_id={b.PeerId}", token: null));
        Assert.Equal(HttpStatusCode.Forbidden, await RefusalAsync(host, $"peer_id={b.PeerId}", a.Token));
        Assert.Equal(HttpStatusCode.NotFound, await RefusalAsync(host, $"peer_id={TestPeer.Create().PeerId}", bRegistration.Token));
        Assert.Equal(HttpStatusCode.BadRequest, await RefusalAsync(host, "peer_id=nothex", bRegistration.Token));
        Assert.Equal(HttpStatusCode.NotFound, await RefusalAsync(host, $"peer_id={b.PeerId}&tunnel=no-such-tunnel", bRegistration.Token));

        using var plainGet = await host.Client.GetAsync($"/relay?peer_id={b.PeerId}", host.Token);
        Assert.Equal(HttpStatusCode.BadRequest, plainGet.StatusCode);
        Assert.Equal(0, host.Service<RelayHub>().SessionCount);
    }

    [Fact]
    public async Task Connect_ToAnUnknownPeer_OrOneWithoutAControlSocket_IsRefusedWithItsCode()
    {
        await using var host = await TrackerHost.StartAsync();
        await using var a = await RelayPeer.StartAsync(host);
        await using var offline = await RelayPeer.StartAsync(host, connect: false);

        var unknown = await Assert.ThrowsAsync<RelayRefusedException>(() => a.Client.ConnectAsync(TestPeer.Create().PeerId, host.Token));
        var notAccepting = await Assert.ThrowsAsync<RelayRefusedException>(() => a.Client.ConnectAsync(offline.PeerId, host.Token));
        var itself = await Assert.ThrowsAsync<RelayRefusedException>(() => a.Client.ConnectAsync(a.PeerId, host.Token));

        Assert.Equal(RelayErrorCodes.UnknownPeer, unknown.Code);
        Assert.Equal(RelayErrorCodes.NotAccepting, notAccepting.Code);
        Assert.Equal(RelayErrorCodes.BadRequest, itself.Code);
        string metrics = await ScrapeAsync(host);
        Assert.Contains("tracker_relay_invitations_failed_total{reason=\"unknown_peer\"} 1", metrics);
        Assert.Contains("tracker_relay_invitations_failed_total{reason=\"not_accepting\"} 1", metrics);
    }

    [Fact]
    public async Task Invitation_NotAnswered_TimesOutWithAClearErrorToTheAsker()
    {
        await using var host = await TrackerHost.StartAsync();
        await using var a = await RelayPeer.StartAsync(host);
        await using var b = await RelayPeer.StartAsync(host);

        var dialing = a.Client.ConnectAsync(b.PeerId, host.Token);
        await b.Client.Invitations.ReadAsync(host.Token);
        host.Time.Advance(host.Service<RelayHub>().Options.JoinTimeout);

        var error = await Assert.ThrowsAsync<RelayRefusedException>(() => dialing);
        Assert.Equal(RelayErrorCodes.Timeout, error.Code);
        Assert.Equal(0, host.Service<RelayHub>().TunnelCount);
        Assert.Contains("tracker_relay_invitations_failed_total{reason=\"timeout\"} 1", await ScrapeAsync(host));
    }

    [Theory]
    [InlineData("text", RelayCloseCodes.ProtocolError)]
    [InlineData("binary", RelayCloseCodes.ProtocolError)]
    [InlineData("huge", (int)WebSocketCloseStatus.MessageTooBig)]
    [InlineData("no-type", RelayCloseCodes.ProtocolError)]
    public async Task ControlSocket_SendingGarbage_IsClosedWithACode_WhileOtherTunnelsCarryOn(string garbage, int expectedClose)
    {
        await using var host = await TrackerHost.StartAsync();
        await using var c = await RelayPeer.StartAsync(host);
        await using var d = await RelayPeer.StartAsync(host);
        var (mine, theirs) = await c.TunnelToAsync(d, host.Token);
        await using var _ = mine;
        await using var __ = theirs;
        var bad = TestPeer.Create();
        var registration = await host.Client.RegisterAsync(bad, host.Token);
        using var socket = await RelayPeer.OpenRawAsync(host, $"peer_id={bad.PeerId}", registration.Token, host.Token);
        await ReadTextAsync(socket, host.Token); // welcome

        byte[] payload = garbage switch
        {
            "huge" => Encoding.UTF8.GetBytes(new string('x', RelayLimits.MaxControlMessageBytes + 10)),
            "no-type" => """{"target":"x"}"""u8.ToArray(),
            _ => "\u0001\u0002 not json {"u8.ToArray(),
        };
        await socket.SendAsync(payload, garbage == "binary" ? WebSocketMessageType.Binary : WebSocketMessageType.Text, true, host.Token);

        Assert.Equal(expectedClose, await CloseCodeAsync(socket, host.Token));
        byte[] data = RepeatedMarker(512 * 1024);
        var received = ReadExactlyAsync(theirs.Stream, data.Length, host.Token);
        await mine.Stream.WriteAsync(data, host.Token);
        Assert.Equal(data, await received);
        using var health = await host.Client.GetAsync("/health", host.Token);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task ControlSocket_UnknownMessageType_IsIgnored()
    {
        await using var host = await TrackerHost.StartAsync();
        var peer = TestPeer.Create();
        var registration = await host.Client.RegisterAsync(peer, host.Token);
        using var socket = await RelayPeer.OpenRawAsync(host, $"peer_id={peer.PeerId}", registration.Token, host.Token);
        Assert.Equal(RelayMessageTypes.Welcome, (await ReadTextAsync(socket, host.Token)).Type);

        await SendAsync(socket, new RelayMessage { Type = "punch_hint_v9", Target = peer.PeerId }, host.Token);
        await SendAsync(socket, new RelayMessage { Type = RelayMessageTypes.Connect, Id = 5, Target = TestPeer.Create().PeerId }, host.Token);

        var answer = await ReadTextAsync(socket, host.Token);
        Assert.Equal((RelayMessageTypes.Error, 5L, RelayErrorCodes.UnknownPeer), (answer.Type, answer.Id, answer.Code));
    }

    [Fact]
    public async Task ControlSocket_OfTheSamePeerOpenedAgain_ReplacesTheOldOne_AndTheClientReconnects()
    {
        await using var host = await TrackerHost.StartAsync();
        await using var a = await RelayPeer.StartAsync(host);
        using var second = await RelayPeer.OpenRawAsync(host, $"peer_id={a.PeerId}", a.Token, host.Token);
        await ReadTextAsync(second, host.Token);

        // The client's socket was replaced; it reconnects, which in turn replaces the raw one.
        Assert.Equal(RelayCloseCodes.Replaced, await CloseCodeAsync(second, host.Token));
        await a.Client.WaitUntilConnectedAsync(host.Token);
        Assert.True(a.Client.ConnectCount >= 2);
    }

    [Fact]
    public async Task FiveHundredConnectRequestsAtOnce_GetAnAnswerEach_WithinThePerPeerLimit_AndAnotherTunnelIsUndisturbed()
    {
        await using var host = await TrackerHost.StartAsync();
        var hub = host.Service<RelayHub>();
        await using var c = await RelayPeer.StartAsync(host);
        await using var d = await RelayPeer.StartAsync(host);
        var (mine, theirs) = await c.TunnelToAsync(d, host.Token);
        await using var _ = mine;
        await using var __ = theirs;
        await using var target = await RelayPeer.StartAsync(host);
        var flooder = TestPeer.Create();
        var registration = await host.Client.RegisterAsync(flooder, host.Token);
        using var socket = await RelayPeer.OpenRawAsync(host, $"peer_id={flooder.PeerId}", registration.Token, host.Token);
        await ReadTextAsync(socket, host.Token);

        const int Requests = 500;
        var sending = Task.Run(
            async () =>
            {
                for (int i = 0; i < Requests; i++)
                {
                    await SendAsync(socket, new RelayMessage { Type = RelayMessageTypes.Connect, Id = i, Target = target.PeerId }, host.Token);
                }
            },
            host.Token);
        var answers = new List<RelayMessage>();
        int mostTunnels = 0;
        while (answers.Count < Requests)
        {
            answers.Add(await ReadTextAsync(socket, host.Token));
            mostTunnels = Math.Max(mostTunnels, hub.TunnelCount);
        }

        await sending;
        Assert.Equal(Requests, answers.Select(m => m.Id).Distinct().Count());
        Assert.Equal(hub.Options.MaxTunnelsPerPeer, answers.Count(m => m.Type == RelayMessageTypes.Tunnel));
        Assert.All(answers.Where(m => m.Type != RelayMessageTypes.Tunnel), m => Assert.Equal(RelayErrorCodes.Limit, m.Code));
        Assert.True(mostTunnels <= hub.Options.MaxTunnelsPerPeer + 1, $"{mostTunnels} tunnels open at once");

        // None of them is joined: they time out, and the tunnel that was open before still carries bytes.
        host.Time.Advance(hub.Options.JoinTimeout);
        await WaitUntilAsync(() => hub.TunnelCount == 1, host.Token);
        byte[] data = RepeatedMarker(256 * 1024);
        var received = ReadExactlyAsync(mine.Stream, data.Length, host.Token);
        await theirs.Stream.WriteAsync(data, host.Token);
        Assert.Equal(data, await received);
    }

    [Fact]
    public async Task TunnelSocket_ForATunnelOfOtherPeers_IsRefused()
    {
        await using var host = await TrackerHost.StartAsync();
        await using var a = await RelayPeer.StartAsync(host);
        await using var b = await RelayPeer.StartAsync(host);
        await using var intruder = await RelayPeer.StartAsync(host);

        var dialing = a.Client.ConnectAsync(b.PeerId, host.Token);
        var invitation = await b.Client.Invitations.ReadAsync(host.Token);

        Assert.Equal(HttpStatusCode.NotFound, await RefusalAsync(host, $"peer_id={intruder.PeerId}&tunnel={invitation.TunnelId}", intruder.Token));
        await using var accepted = await b.Client.AcceptAsync(invitation, host.Token);
        await using var dialed = await dialing;
        Assert.Equal(HttpStatusCode.NotFound, await RefusalAsync(host, $"peer_id={b.PeerId}&tunnel={invitation.TunnelId}", b.Token));
    }

    private static async Task<HttpStatusCode> RefusalAsync(TrackerHost host, string query, string? token)
    {
        var error = await Assert.ThrowsAsync<WebSocketException>(() => RelayPeer.OpenRawAsync(host, query, token, host.Token));
        Assert.Equal(WebSocketError.NotAWebSocket, error.WebSocketErrorCode);
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (token is not null)
        {
            socket.Options.SetRequestHeader(Core.TrackerApi.TrackerHeaders.PeerToken, token);
        }

        try
        {
            await socket.ConnectAsync(host.WebSocketUri($"/relay?{query}"), host.Token);
        }
        catch (WebSocketException)
        {
        }

        return socket.HttpStatusCode;
    }

    private static async Task SendAsync(WebSocket socket, RelayMessage message, CancellationToken cancellationToken) =>
        await socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message, RelayJsonContext.Default.RelayMessage), WebSocketMessageType.Text, true, cancellationToken);

    private static async Task<RelayMessage> ReadTextAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[RelayLimits.MaxControlMessageBytes];
        var result = await socket.ReceiveAsync(buffer.AsMemory(), cancellationToken);
        Assert.Equal(WebSocketMessageType.Text, result.MessageType);
        return JsonSerializer.Deserialize(buffer.AsSpan(0, result.Count), RelayJsonContext.Default.RelayMessage)!;
    }

    private static async Task<int> CloseCodeAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[RelayLimits.MaxControlMessageBytes];
        while ((await socket.ReceiveAsync(buffer.AsMemory(), cancellationToken)).MessageType != WebSocketMessageType.Close)
        {
        }

        return (int)socket.CloseStatus!.Value;
    }
}
