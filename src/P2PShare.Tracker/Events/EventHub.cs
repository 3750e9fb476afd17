using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using P2PShare.Core.TrackerApi;
using P2PShare.Tracker.Configuration;
using P2PShare.Tracker.Metrics;

namespace P2PShare.Tracker.Events;

/// <summary>
/// Fans tracker events out to every /ws client. Publishing never waits: each event is serialised once and offered
/// to every client's bounded queue; a client whose queue is full is dropped.
/// </summary>
internal sealed partial class EventHub(TrackerOptions options, TimeProvider time, TrackerMetrics metrics, ILogger<EventHub> logger)
{
    private readonly ConcurrentDictionary<long, EventSubscription> _subscribers = new();
    private long _lastId;

    public int ClientCount => _subscribers.Count;

    /// <summary>True when anyone listens; publishers check it before building event data nobody would read.</summary>
    public bool HasClients => !_subscribers.IsEmpty;

    /// <summary>Adds a client whose queue starts with <paramref name="first"/> (so it precedes every later event).</summary>
    public EventSubscription Subscribe(ReadOnlyMemory<byte> first)
    {
        var subscription = new EventSubscription(Interlocked.Increment(ref _lastId), options.EventQueueCapacity, Unsubscribe);
        subscription.TryEnqueue(first);
        _subscribers[subscription.Id] = subscription;
        metrics.EventClientConnected();
        return subscription;
    }

    public void Publish<T>(string type, T data, JsonTypeInfo<T> dataType)
    {
        if (_subscribers.IsEmpty)
        {
            return;
        }

        var message = Serialize(type, data, dataType);
        foreach (var subscription in _subscribers.Values)
        {
            if (!subscription.TryEnqueue(message) && !subscription.IsDropped)
            {
                subscription.Drop();
                metrics.EventClientDropped();
                Log.SlowClientDropped(logger, subscription.Id, options.EventQueueCapacity);
            }
        }
    }

    /// <summary>One event as the UTF-8 JSON text message clients receive.</summary>
    public ReadOnlyMemory<byte> Serialize<T>(string type, T data, JsonTypeInfo<T> dataType)
    {
        var envelope = new TrackerEvent
        {
            Type = type,
            Time = time.GetUtcNow(),
            Data = JsonSerializer.SerializeToElement(data, dataType),
        };
        return JsonSerializer.SerializeToUtf8Bytes(envelope, TrackerApiJsonContext.Default.TrackerEvent);
    }

    private void Unsubscribe(EventSubscription subscription)
    {
        if (_subscribers.TryRemove(subscription.Id, out _))
        {
            metrics.EventClientDisconnected();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1001, LogLevel.Warning, "Dropped /ws client {ClientId}: more than {Capacity} events behind")]
        public static partial void SlowClientDropped(ILogger logger, long clientId, int capacity);
    }
}
