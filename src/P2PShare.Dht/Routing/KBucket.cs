namespace P2PShare.Dht.Routing;

/// <summary>
/// One k-bucket: up to k live contacts, least recently seen first, and a small cache of replacements that step in
/// when a contact stops answering.
/// </summary>
internal sealed class KBucket(int capacity)
{
    public const int ReplacementCapacity = 8;

    /// <summary>Failed queries after which a contact is dropped even when no replacement waits.</summary>
    public const int MaxFailures = 3;

    private readonly List<Entry> _entries = [];
    private readonly List<Entry> _replacements = [];

    public IReadOnlyList<Entry> Entries => _entries;

    public DateTimeOffset LastChanged { get; set; }

    /// <summary>Records that <paramref name="contact"/> answered: it moves to the tail, joins, or waits as a replacement.</summary>
    public void Seen(Contact contact, DateTimeOffset now)
    {
        int index = _entries.FindIndex(e => e.Contact.Id == contact.Id);
        if (index >= 0)
        {
            _entries.RemoveAt(index);
            _entries.Add(new Entry(contact, now, 0));
            return;
        }

        if (_entries.Count < capacity)
        {
            _entries.Add(new Entry(contact, now, 0));
            LastChanged = now;
            return;
        }

        int stale = _entries.FindIndex(e => e.Failures > 0);
        if (stale >= 0)
        {
            _entries.RemoveAt(stale);
            _entries.Add(new Entry(contact, now, 0));
            LastChanged = now;
            return;
        }

        _replacements.RemoveAll(e => e.Contact.Id == contact.Id);
        if (_replacements.Count == ReplacementCapacity)
        {
            _replacements.RemoveAt(0);
        }

        _replacements.Add(new Entry(contact, now, 0));
    }

    /// <summary>Records a query to <paramref name="id"/> that went unanswered; a dead contact gives way to the newest replacement.</summary>
    public void Failed(NodeId id)
    {
        int index = _entries.FindIndex(e => e.Contact.Id == id);
        if (index < 0)
        {
            _replacements.RemoveAll(e => e.Contact.Id == id);
            return;
        }

        var entry = _entries[index] with { Failures = _entries[index].Failures + 1 };
        if (_replacements.Count > 0 || entry.Failures >= MaxFailures)
        {
            _entries.RemoveAt(index);
            if (_replacements.Count > 0)
            {
                _entries.Add(_replacements[^1]);
                _replacements.RemoveAt(_replacements.Count - 1);
            }

            return;
        }

        _entries[index] = entry;
    }

    /// <summary>Drops any contact at <paramref name="contact"/>'s address under a different ID.</summary>
    public void RemoveOtherAt(Contact contact) =>
        _entries.RemoveAll(e => e.Contact.Id != contact.Id && e.Contact.EndPoint.Equals(contact.EndPoint));

    public bool Contains(NodeId id) => _entries.Exists(e => e.Contact.Id == id);

    public bool IsFull => _entries.Count >= capacity;

    public readonly record struct Entry(Contact Contact, DateTimeOffset LastSeen, int Failures);
}
