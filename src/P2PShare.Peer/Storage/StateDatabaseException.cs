namespace P2PShare.Peer.Storage;

/// <summary>state.db cannot be used: the message says why and what the user can do about it.</summary>
internal sealed class StateDatabaseException(string message, Exception? inner = null) : Exception(message, inner);
