using System.Collections.Concurrent;
using P2PShare.Core.Protocol;
using P2PShare.Core.Protocol.Messages;

namespace P2PShare.Peer.P2P;

/// <summary>
/// The asking side of manifest paging (docs/protocol.md §1.8): ManifestRequest from offset 0, then from each next
/// offset until the whole JSON is here. The caller parses it and checks it against the file ID; this side only
/// bounds what it takes (<c>maxLength</c>, one fetch per file at a time) and insists on pages that fit together.
/// </summary>
internal sealed partial class PeerLink
{
    private readonly ConcurrentDictionary<string, ManifestFetch> _manifestFetches = new();

    /// <summary>The remote's manifest JSON for the file; throws <see cref="InvalidDataException"/> when it has none or sends pages that do not fit.</summary>
    public async Task<byte[]> FetchManifestJsonAsync(string fileId, int maxLength, CancellationToken ct)
    {
        var fetch = new ManifestFetch(maxLength);
        if (!_manifestFetches.TryAdd(fileId, fetch))
        {
            throw new InvalidOperationException($"a manifest fetch for {fileId} is already running on this link");
        }

        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _closing.Token);
            while (true)
            {
                int offset = fetch.Received;
                var page = fetch.NextPage();
                await SendAsync(new ManifestRequest(fileId, offset), linked.Token);
                await Task.WhenAny(page, _closed.Task).WaitAsync(linked.Token);
                if (!page.IsCompleted)
                {
                    throw new IOException($"link closed during the manifest fetch: {await _closed.Task}");
                }

                if (await page is { } json)
                {
                    return json;
                }
            }
        }
        finally
        {
            _manifestFetches.TryRemove(fileId, out _);
        }
    }

    /// <summary>A Manifest page nobody asked for is ignored; one that does not continue the fetch fails it.</summary>
    private void OnManifestPage(Manifest page)
    {
        if (_manifestFetches.TryGetValue(page.FileId, out var fetch))
        {
            fetch.Add(page.TotalLength, page.Offset, page.Data.Span);
        }
    }

    /// <summary>True when the Reject ends a manifest fetch (the remote has no manifest for the file).</summary>
    private bool OnManifestReject(Reject reject)
    {
        if (reject.Reason != RejectReason.UnknownFile || !_manifestFetches.TryGetValue(reject.FileId, out var fetch))
        {
            return false;
        }

        fetch.Fail("the holder has no manifest for this file");
        return true;
    }

    private sealed class ManifestFetch(int maxLength)
    {
        private readonly Lock _gate = new();
        private byte[]? _json;
        private string? _failure;
        private TaskCompletionSource<byte[]?> _page = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Received { get; private set; }

        public Task<byte[]?> NextPage()
        {
            lock (_gate)
            {
                _page = new TaskCompletionSource<byte[]?>(TaskCreationOptions.RunContinuationsAsynchronously);
                if (_failure is not null)
                {
                    _page.TrySetException(new InvalidDataException(_failure));
                }

                return _page.Task;
            }
        }

        public void Add(int totalLength, int offset, ReadOnlySpan<byte> data)
        {
            lock (_gate)
            {
                if (_page.Task.IsCompleted)
                {
                    return;
                }

                if (totalLength > maxLength || totalLength == 0)
                {
                    Fail($"the manifest is {totalLength} bytes; at most {maxLength} are accepted");
                    return;
                }

                _json ??= new byte[totalLength];
                if (totalLength != _json.Length || offset != Received || (data.IsEmpty && Received < totalLength))
                {
                    Fail("manifest pages do not fit together");
                    return;
                }

                data.CopyTo(_json.AsSpan(offset));
                Received += data.Length;
                _page.TrySetResult(Received == _json.Length ? _json : null);
            }
        }

        public void Fail(string reason)
        {
            lock (_gate)
            {
                _failure ??= reason;
                _page.TrySetException(new InvalidDataException(reason));
            }
        }
    }
}
