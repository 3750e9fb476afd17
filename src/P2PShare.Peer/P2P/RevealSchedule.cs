using P2PShare.Core.Chunking;
using P2PShare.Peer.Storage;

namespace P2PShare.Peer.P2P;

/// <summary>
/// Spreads a whole file's first copy over the swarm (what BitTorrent calls super-seeding). The holder of a whole file
/// is usually the swarm's scarcest uploader: every chunk it sends twice while some chunk has not gone out once is
/// upload no other node could have given. Downloaders pick chunks on their own and cannot see each other's requests,
/// so a holder that announces everything gets the same chunk asked for by several of them. Instead its Bitfield and
/// Haves tell each remote of a few chunks only, each chunk of the first copy to one remote at a time: as a chunk goes
/// out to that remote (or it announces it), the next is offered, so the remote always has a few to ask for and the
/// holder's upload never idles for want of requests. Once every chunk is out, each remote is offered the chunks it
/// lacks that this node sent least. Offers kept open per remote follow what it takes: <see cref="MinOpen"/> plus a
/// second's worth at the rate it was sent chunks, up to <see cref="MaxOpen"/>, so one fast downloader is never held
/// back; until that rate is known, <see cref="MaxOpen"/> shared among the remotes offered the file, at most
/// <see cref="InitialOpen"/> (a downloader's first pipeline). An offer that has waited <see cref="OfferTimeout"/>
/// (its remote stalled) is made to another remote as well.
/// </summary>
internal sealed class RevealSchedule(TimeProvider time, Random random)
{
    public const int MinOpen = 2;
    public const int InitialOpen = 16;
    public const int MaxOpen = 64;
    public static readonly TimeSpan OfferTimeout = TimeSpan.FromSeconds(30);

    private const int SampleSize = 64;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, RevealFile> _files = [];

    /// <summary>
    /// Starts offering <paramref name="fileId"/> (of <paramref name="remoteHas"/>.Count chunks) to a remote that holds
    /// <paramref name="remoteHas"/>; returns its state and the Bitfield to answer with.
    /// </summary>
    public (LinkReveal Reveal, ChunkBitmap Bitfield) Start(string fileId, ChunkBitmap remoteHas)
    {
        lock (_lock)
        {
            if (!_files.TryGetValue(fileId, out var file) || file.ChunkCount != remoteHas.Count)
            {
                file = new RevealFile(remoteHas.Count, random);
                _files[fileId] = file;
            }

            file.Users++;
            var reveal = new LinkReveal(file, remoteHas, time);
            MarkRemoteChunksOut(file, remoteHas);
            TopUp(reveal);
            return (reveal, reveal.Told.Clone());
        }
    }

    /// <summary>Chunk <paramref name="index"/> is about to be sent to the remote; returns the chunks to announce to it now.</summary>
    public List<int> Sending(LinkReveal reveal, int index, int bytes)
    {
        lock (_lock)
        {
            if (reveal.Stopped || (uint)index >= (uint)reveal.File.ChunkCount)
            {
                return [];
            }

            reveal.File.Sends[index]++;
            reveal.File.MarkOut(index);
            reveal.Sent.Add(bytes);
            CloseOffer(reveal, index);
            return TopUp(reveal);
        }
    }

    /// <summary>The remote announced chunk <paramref name="index"/> (Have); returns the chunks to announce to it now.</summary>
    public List<int> RemoteHave(LinkReveal reveal, int index)
    {
        lock (_lock)
        {
            if (reveal.Stopped || (uint)index >= (uint)reveal.File.ChunkCount || !reveal.RemoteHas.Set(index))
            {
                return [];
            }

            reveal.File.MarkOut(index);
            CloseOffer(reveal, index);
            return TopUp(reveal);
        }
    }

    /// <summary>The link closed: its open offers go to other remotes.</summary>
    public void Stop(string fileId, LinkReveal reveal)
    {
        lock (_lock)
        {
            if (reveal.Stopped)
            {
                return;
            }

            reveal.Stopped = true;
            foreach (int index in reveal.Open.ToList())
            {
                CloseOffer(reveal, index);
            }

            if (--reveal.File.Users == 0 && _files.GetValueOrDefault(fileId) == reveal.File)
            {
                _files.Remove(fileId);
            }
        }
    }

    private static void MarkRemoteChunksOut(RevealFile file, ChunkBitmap remoteHas)
    {
        if (remoteHas.SetCount == 0)
        {
            return;
        }

        for (int i = 0; i < remoteHas.Count; i++)
        {
            if (remoteHas.Get(i))
            {
                file.MarkOut(i);
            }
        }
    }

    private static void CloseOffer(LinkReveal reveal, int index)
    {
        if (reveal.Open.Remove(index))
        {
            reveal.File.Offers[index]--;
            reveal.File.GiveBack(index);
        }
    }

    private List<int> TopUp(LinkReveal reveal)
    {
        List<int> told = [];
        int target = reveal.Sent.LastWindow is double rate
            ? Math.Clamp(MinOpen + (int)Math.Ceiling(rate / ChunkLayout.DefaultChunkSize), MinOpen, MaxOpen)
            : Math.Clamp(MaxOpen / reveal.File.Users, MinOpen, InitialOpen);
        while (reveal.Open.Count < target && NextOffer(reveal) is int index and >= 0)
        {
            reveal.Told.Set(index);
            reveal.Open.Add(index);
            if (reveal.File.Offers[index]++ == 0 && !reveal.File.IsOut(index))
            {
                reveal.File.FirstOffered.TryAdd(index, time.GetTimestamp());
            }

            told.Add(index);
        }

        return told;
    }

    private int NextOffer(LinkReveal reveal)
    {
        var file = reveal.File;
        bool Fits(int i) => !reveal.Told.Get(i) && !reveal.RemoteHas.Get(i);

        int first = file.NextUnoffered();
        if (first >= 0)
        {
            return first;
        }

        if (file.NotOut > 0)
        {
            return StalledOffer(file, Fits); // the first copy is not out yet: only what nobody else is about to get
        }

        return LeastSent(file, Fits);
    }

    /// <summary>A chunk of the first copy offered elsewhere longer than <see cref="OfferTimeout"/> ago, offered again from now.</summary>
    private int StalledOffer(RevealFile file, Func<int, bool> fits)
    {
        long now = time.GetTimestamp();
        foreach (var (index, since) in file.FirstOffered)
        {
            if (time.GetElapsedTime(since, now) >= OfferTimeout && fits(index))
            {
                file.FirstOffered[index] = now;
                return index;
            }
        }

        return -1;
    }

    /// <summary>Among chunks the remote lacks and was not told of, one this node sent and offers least (sampled for large files).</summary>
    private int LeastSent(RevealFile file, Func<int, bool> fits)
    {
        int best = -1;
        int Load(int i) => file.Sends[i] + file.Offers[i];
        for (int s = 0; s < SampleSize; s++)
        {
            int candidate = random.Next(file.ChunkCount);
            if (fits(candidate) && (best < 0 || Load(candidate) < Load(best)))
            {
                best = candidate;
            }
        }

        if (best >= 0)
        {
            return best;
        }

        for (int i = 0; i < file.ChunkCount; i++)
        {
            if (fits(i) && (best < 0 || Load(i) < Load(best)))
            {
                best = i;
            }
        }

        return best;
    }
}
