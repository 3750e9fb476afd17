using P2PShare.Core.TrackerApi;
using P2PShare.Tracker.Configuration;
using P2PShare.Tracker.Swarm;

namespace P2PShare.Tracker.Events;

/// <summary>Sends a stats event to /ws clients every stats interval, on the injected clock.</summary>
internal sealed class StatsPublisher : BackgroundService
{
    private readonly PeriodicTimer _timer;
    private readonly EventHub _events;
    private readonly TrackerStats _stats;

    public StatsPublisher(EventHub events, TrackerStats stats, TrackerOptions options, TimeProvider time)
    {
        _events = events;
        _stats = stats;
        _timer = new PeriodicTimer(options.StatsInterval, time);
    }

    public override void Dispose()
    {
        _timer.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _timer.WaitForNextTickAsync(stoppingToken))
            {
                if (_events.ClientCount > 0)
                {
                    _events.Publish(TrackerEventTypes.Stats, _stats.Snapshot(), TrackerApiJsonContext.Default.StatsEvent);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
