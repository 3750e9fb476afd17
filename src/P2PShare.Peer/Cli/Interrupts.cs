namespace P2PShare.Peer.Cli;

/// <summary>
/// What Ctrl-C stops. While the shell follows a download, Ctrl-C ends only the following (the download carries on
/// and the prompt comes back); otherwise, as SIGTERM always does, it stops the program.
/// </summary>
internal sealed class Interrupts(CancellationTokenSource program)
{
    private readonly Lock _gate = new();
    private CancellationTokenSource? _following;

    /// <summary>Ctrl-C: ends what is being followed if anything is, else stops the program.</summary>
    public void Interrupt()
    {
        CancellationTokenSource? following;
        lock (_gate)
        {
            following = _following;
            _following = null;
        }

        if (following is not null)
        {
            following.Cancel();
        }
        else
        {
            program.Cancel();
        }
    }

    /// <summary>A token that the next Ctrl-C cancels (instead of stopping the program) until the scope is disposed.</summary>
    public FollowScope Follow(CancellationToken programToken)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(programToken);
        lock (_gate)
        {
            _following = source;
        }

        return new FollowScope(this, source);
    }

    private void End(CancellationTokenSource source)
    {
        lock (_gate)
        {
            if (_following == source)
            {
                _following = null;
            }
        }

        source.Dispose();
    }

    internal sealed class FollowScope(Interrupts owner, CancellationTokenSource source) : IDisposable
    {
        public CancellationToken Token => source.Token;

        public void Dispose() => owner.End(source);
    }
}
