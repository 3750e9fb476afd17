using System.Collections.Concurrent;
using P2PShare.Tracker.Storage;
using Prometheus;

namespace P2PShare.Tracker.Metrics;

/// <summary>
/// The tracker's Prometheus metrics, in a registry owned by this instance (not prometheus-net's static default),
/// so two trackers in one process never share counters. Gauges are read from storage at scrape time.
/// </summary>
internal sealed class TrackerMetrics
{
    private readonly Counter _announces;
    private readonly Counter _registrations;
    private readonly Counter _expiredPeers;
    private readonly Counter _requests;
    private readonly Counter _droppedEventClients;
    private readonly Gauge _eventClients;
    private readonly Gauge _relaySessions;
    private readonly Gauge _relayTunnels;
    private readonly Counter _relayBytes;
    private readonly Counter _relayFailures;
    private readonly ConcurrentDictionary<(string Method, string Route, int Code), Counter.Child> _requestCounters = new();

    public TrackerMetrics(IPeerRegistry peers, IFileCatalog files)
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        var peersOnline = factory.CreateGauge("tracker_peers_online", "Registered peers.");
        var fileCount = factory.CreateGauge("tracker_files", "Catalogued files.");
        _announces = factory.CreateCounter("tracker_announces_total", "Accepted file announces.");
        _registrations = factory.CreateCounter("tracker_registrations_total", "Accepted peer registrations.");
        _expiredPeers = factory.CreateCounter("tracker_expired_peers_total", "Peers removed for missing heartbeats.");
        _requests = factory.CreateCounter("tracker_http_requests_total", "HTTP requests by method, route and status code.", "method", "route", "code");
        _eventClients = factory.CreateGauge("tracker_ws_clients", "Connected /ws event clients.");
        _droppedEventClients = factory.CreateCounter("tracker_ws_dropped_clients_total", "/ws clients dropped for falling behind.");
        _relaySessions = factory.CreateGauge("tracker_relay_control_sockets", "Peers with a relay control socket open.");
        _relayTunnels = factory.CreateGauge("tracker_relay_tunnels_open", "Relay tunnels open (waiting for their ends or spliced).");
        _relayBytes = factory.CreateCounter("tracker_relay_bytes_total", "Bytes forwarded through relay tunnels, both directions.");
        _relayFailures = factory.CreateCounter("tracker_relay_invitations_failed_total", "Relay connect requests that did not give a tunnel, by reason.", "reason");
        Registry.AddBeforeCollectCallback(() =>
        {
            peersOnline.Set(peers.Count);
            fileCount.Set(files.Count);
        });
    }

    public CollectorRegistry Registry { get; }

    public long AnnouncesTotal => (long)_announces.Value;

    public void Announced() => _announces.Inc();

    public void Registered() => _registrations.Inc();

    public void Expired(int count) => _expiredPeers.Inc(count);

    /// <summary>Counts one request; the labelled child is looked up once per (method, route, code) and then cached.</summary>
    public void Request(string method, string route, int statusCode)
    {
        var key = (MethodText(method), route, statusCode);
        if (!_requestCounters.TryGetValue(key, out var counter))
        {
            counter = _requestCounters.GetOrAdd(key, k => _requests.WithLabels(k.Method, k.Route, StatusCodeText(k.Code)));
        }

        counter.Inc(Exemplar.None);
    }

    public void EventClientConnected() => _eventClients.Inc();

    public void EventClientDisconnected() => _eventClients.Dec();

    public void EventClientDropped() => _droppedEventClients.Inc();

    public long RelayTunnelsOpen => (long)_relayTunnels.Value;

    public long RelayBytesTotal => (long)_relayBytes.Value;

    public void RelaySessionOpened() => _relaySessions.Inc();

    public void RelaySessionClosed() => _relaySessions.Dec();

    public void RelayTunnelOpened() => _relayTunnels.Inc();

    public void RelayTunnelClosed() => _relayTunnels.Dec();

    public void RelayForwarded(int bytes) => _relayBytes.Inc(bytes);

    /// <summary>Counts a refused or timed-out invitation; <paramref name="reason"/> is one of the relay error codes.</summary>
    public void RelayInvitationFailed(string reason) => _relayFailures.WithLabels(reason).Inc();

    /// <summary>Known methods by name, anything else as "other", so clients cannot invent label values.</summary>
    private static string MethodText(string method) => method switch
    {
        "GET" or "POST" or "DELETE" or "PUT" or "HEAD" or "OPTIONS" or "PATCH" => method,
        _ => "other",
    };

    private static string StatusCodeText(int code) => code switch
    {
        200 => "200",
        201 => "201",
        204 => "204",
        400 => "400",
        401 => "401",
        403 => "403",
        404 => "404",
        409 => "409",
        429 => "429",
        _ => code.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
