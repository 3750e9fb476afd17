namespace P2PShare.Peer.Storage;

/// <summary>Turns file-system exceptions into one-line messages a user can act on.</summary>
internal static class StorageErrors
{
    private const int UnixNoSpace = 28;                           // ENOSPC, which .NET reports as the HResult on Unix
    private const int WindowsDiskFull = unchecked((int)0x80070070);  // ERROR_DISK_FULL
    private const int WindowsHandleDiskFull = unchecked((int)0x80070027);

    /// <summary>True for the exceptions storage code treats as expected failures (I/O, permissions).</summary>
    public static bool IsExpected(Exception ex) => ex is IOException or UnauthorizedAccessException;

    public static bool IsDiskFull(Exception ex) =>
        ex is IOException io && (io.HResult is UnixNoSpace or WindowsDiskFull or WindowsHandleDiskFull
            || io.Message.Contains("disk was full", StringComparison.OrdinalIgnoreCase));

    /// <summary>"&lt;what&gt;: &lt;why&gt;", with a hint when the disk is full or access is denied.</summary>
    public static string Describe(string what, Exception ex) => ex switch
    {
        _ when IsDiskFull(ex) => $"{what}: the disk is full ({ex.Message}); free some space and retry — verified chunks are kept",
        UnauthorizedAccessException => $"{what}: permission denied ({ex.Message})",
        _ => $"{what}: {ex.Message}",
    };
}
