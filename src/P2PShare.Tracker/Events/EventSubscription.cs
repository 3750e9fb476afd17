using System.Threading.Channels;

namespace P2PShare.Tracker.Events;

/// <summary>
/// One /ws client's queue of serialised events. Bounded: when the client falls behind by more than the capacity it
/// is dropped (<see cref="Dropped"/> is cancelled) instead of making publishers wait.
/// </summary>
internal sealed class EventSubscription : IDisposable
{
    private readonly Channel<ReadOnlyMemory<byte>> _queue;
    private readonly CancellationTokenSource _dropped = new();
    private readonly Action<EventSubscription> _unsubscribe;

    public EventSubscription(long id, int capacity, Action<EventSubscription> unsubscribe)
    {
        Id = id;
        _unsubscribe = unsubscribe;
        _queue = Channel.CreateBounded<ReadOnlyMemory<byte>>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public long Id { get; }

    public ChannelReader<ReadOnlyMemory<byte>> Reader => _queue.Reader;

    /// <summary>Cancelled when the hub drops this client for being too slow.</summary>
    public CancellationToken Dropped => _dropped.Token;

    public bool IsDropped => _dropped.IsCancellationRequested;

    /// <summary>Queues a message without waiting; false when the queue is full or closed.</summary>
    public bool TryEnqueue(ReadOnlyMemory<byte> message) => _queue.Writer.TryWrite(message);

    /// <summary>Closes the queue and signals <see cref="Dropped"/>; the signal's callbacks run on the thread pool.</summary>
    public void Drop()
    {
        _queue.Writer.TryComplete();
        _ = _dropped.CancelAsync();
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _unsubscribe(this);
    }
}
