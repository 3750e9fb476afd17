using P2PShare.Tracker.Configuration;

namespace P2PShare.Tracker.Swarm;

/// <summary>
/// Removes expired peers once per heartbeat interval, on the injected clock (tests advance a fake one). The timer
/// exists from construction, so a tick due before the loop first waits is not lost.
/// </summary>
internal sealed partial class ExpirySweeper : BackgroundService
{
    private readonly PeriodicTimer _timer;
    private readonly PeerService _peers;
    private readonly ILogger<ExpirySweeper> _logger;

    public ExpirySweeper(PeerService peers, TrackerOptions options, TimeProvider time, ILogger<ExpirySweeper> logger)
    {
        _peers = peers;
        _logger = logger;
        _timer = new PeriodicTimer(options.HeartbeatInterval, time);
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
                int removed = _peers.RemoveExpired();
                if (removed > 0)
                {
                    Log.Swept(_logger, removed);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(2101, LogLevel.Information, "Removed {Count} peers that missed their heartbeats")]
        public static partial void Swept(ILogger logger, int count);
    }
}
