namespace P2PShare.Core.Crypto;

/// <summary>
/// The secure channel failed: the handshake did not complete, or a record was tampered with, replayed, reordered
/// or truncated. The connection is closed when this is thrown and never yields unauthenticated bytes.
/// </summary>
public class SecureChannelException : IOException
{
    public SecureChannelException(string message)
        : base(message)
    {
    }

    public SecureChannelException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
