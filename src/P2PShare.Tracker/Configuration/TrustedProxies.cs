using Microsoft.AspNetCore.HttpOverrides;

namespace P2PShare.Tracker.Configuration;

/// <summary>
/// X-Forwarded-For and X-Forwarded-Proto, believed only from <see cref="TrackerOptions.TrustedProxies"/>. Without
/// any configured the headers are ignored entirely (ASP.NET's default would trust loopback).
/// </summary>
internal static class TrustedProxies
{
    public static void UseTrustedForwardedHeaders(this WebApplication app, TrackerOptions options)
    {
        if (options.TrustedProxies.Count == 0)
        {
            return;
        }

        var forwarded = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
            ForwardLimit = 1,
        };
        forwarded.KnownProxies.Clear();
        forwarded.KnownIPNetworks.Clear();
        foreach (var network in options.TrustedProxies)
        {
            forwarded.KnownIPNetworks.Add(network);
        }

        app.UseForwardedHeaders(forwarded);
    }
}
