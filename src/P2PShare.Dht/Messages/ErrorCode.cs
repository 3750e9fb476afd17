namespace P2PShare.Dht.Messages;

/// <summary>Why a query was refused.</summary>
public enum DhtErrorCode : byte
{
    Malformed = 1,
    BadToken = 2,
    StoreFull = 3,
    BadKey = 4,
}
