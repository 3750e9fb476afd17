using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using P2PShare.Peer.Node;

namespace P2PShare.Peer.Control;

/// <summary>
/// The node's control API: JSON over HTTP on a loopback address only, guarded by a random token that
/// <see cref="Publish"/> writes (0600) to control.json for the one-shot verbs.
/// </summary>
internal sealed class ControlServer : IControlApi
{
    private readonly WebApplication _app;
    private readonly string _stateDir;

    private ControlServer(WebApplication app, string stateDir, ControlEndpointFile endpoint)
    {
        _app = app;
        _stateDir = stateDir;
        Endpoint = endpoint;
    }

    public ControlEndpointFile Endpoint { get; }

    public string Url => Endpoint.Url;

    /// <summary>Starts the control API of <paramref name="node"/> on its -api-addr, publishing later into its state dir.</summary>
    public static async Task<IControlApi> StartForAsync(PeerNode node, CancellationToken cancellationToken) =>
        await StartAsync(node, node.Options.ApiAddr, node.Paths.StateDir, cancellationToken);

    public static async Task<ControlServer> StartAsync(PeerNode node, string address, string stateDir, CancellationToken cancellationToken)
    {
        var endPoint = ParseLoopback(address);
        string token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        byte[] tokenBytes = Encoding.ASCII.GetBytes(token);
        // The empty builder reads no appsettings.json, so nothing watches the working directory (a recursive
        // inotify watch over whatever tree the user happens to run the verb in).
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(endPoint));
        builder.Services.AddRoutingCore();
        builder.Services.ConfigureHttpJsonOptions(o => ControlJson.Apply(o.SerializerOptions));
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            if (!TokenMatches(context.Request.Headers[ControlEndpointFile.TokenHeader], tokenBytes))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                await context.Response.WriteAsJsonAsync(new ControlError("missing or wrong control token"), ControlJson.Options);
                return;
            }

            await next(context);
        });
        ControlEndpoints.Map(app, node);
        await app.StartAsync(cancellationToken);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var endpoint = new ControlEndpointFile(bound.Replace("[::]", "127.0.0.1", StringComparison.Ordinal), token, Environment.ProcessId);
        return new ControlServer(app, stateDir, endpoint);
    }

    /// <summary>Writes control.json, so one-shot verbs find this node; call once the node is ready for them.</summary>
    public void Publish() => Endpoint.Write(_stateDir);

    public async ValueTask DisposeAsync()
    {
        ControlEndpointFile.Delete(_stateDir);
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>
    /// True when the request carries exactly one token header equal to <paramref name="token"/>, compared in constant
    /// time so response timing says nothing about how much of a guess was right.
    /// </summary>
    public static bool TokenMatches(StringValues header, ReadOnlySpan<byte> token)
    {
        if (header.Count != 1 || header[0] is not { } given || given.Length != token.Length)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[given.Length];
        return Encoding.ASCII.GetBytes(given, bytes) == token.Length && CryptographicOperations.FixedTimeEquals(bytes, token);
    }

    /// <summary>The control API's address, which must be on the loopback interface.</summary>
    public static IPEndPoint ParseLoopback(string address)
    {
        if (!IPEndPoint.TryParse(address.StartsWith(':') ? "127.0.0.1" + address : address, out var endPoint) || !IPAddress.IsLoopback(endPoint.Address))
        {
            throw new ArgumentException($"control API address '{address}' must be a loopback address such as 127.0.0.1:7000");
        }

        return endPoint;
    }
}
