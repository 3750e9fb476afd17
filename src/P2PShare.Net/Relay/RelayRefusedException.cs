namespace P2PShare.Net.Relay;

/// <summary>
/// The relay said no: a connect request was refused (<see cref="Code"/> is one of RelayErrorCodes) or a tunnel
/// was closed with a relay close code before it was joined.
/// </summary>
public sealed class RelayRefusedException(string code, string message) : IOException(message)
{
    public string Code { get; } = code;
}
