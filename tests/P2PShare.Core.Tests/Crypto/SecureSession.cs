using P2PShare.Core.Crypto;

namespace P2PShare.Core.Tests.Crypto;

/// <summary>
/// One client → server transfer over a secure channel: the client dials expecting the server's key, sends the
/// payload and closes; the server reads to the end. Both outcomes are captured instead of thrown.
/// </summary>
internal static class SecureSession
{
    public static readonly PeerIdentity ClientIdentity = PeerIdentity.Generate();
    public static readonly PeerIdentity ServerIdentity = PeerIdentity.Generate();

    public static async Task<Outcome> RunAsync(Stream client, Stream server, byte[] payload, CancellationToken cancellationToken)
    {
        var serve = ServeAsync(server, cancellationToken);
        Exception? clientError = null;
        try
        {
            await using var secure = await SecureChannel.ConnectAsync(client, ClientIdentity, ServerIdentity.PublicKey, cancellationToken);
            await secure.WriteAsync(payload, cancellationToken);
        }
        catch (IOException exception)
        {
            clientError = exception;
        }

        var (received, serverError) = await serve;
        return new Outcome(received, serverError, clientError);
    }

    private static async Task<(byte[] Received, Exception? Error)> ServeAsync(Stream server, CancellationToken cancellationToken)
    {
        var received = new MemoryStream();
        try
        {
            await using var secure = await SecureChannel.AcceptAsync(server, ServerIdentity, cancellationToken);
            var buffer = new byte[100_000];
            int read;
            while ((read = await secure.ReadAsync(buffer, cancellationToken)) > 0)
            {
                received.Write(buffer, 0, read);
            }

            return (received.ToArray(), null);
        }
        catch (IOException exception)
        {
            return (received.ToArray(), exception);
        }
    }

    internal sealed record Outcome(byte[] Received, Exception? ServerError, Exception? ClientError);
}
