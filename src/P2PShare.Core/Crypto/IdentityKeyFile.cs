using System.Security.Cryptography;

namespace P2PShare.Core.Crypto;

/// <summary>
/// The identity key file: 69 bytes, <c>"P2PK"</c> ‖ version 0x01 ‖ 32-byte X25519 private key ‖ 32-byte public key.
/// The stored public key must equal the one derived from the private key, which catches a damaged file. Written
/// with mode 0600 to a temporary file in the same directory, flushed, then renamed into place.
/// </summary>
internal static class IdentityKeyFile
{
    public const int Length = 4 + 1 + (2 * X25519.KeySize);

    private const byte Version = 1;
    private static ReadOnlySpan<byte> Magic => "P2PK"u8;

    public static byte[] Encode(ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> publicKey)
    {
        var file = new byte[Length];
        Magic.CopyTo(file);
        file[4] = Version;
        privateKey.CopyTo(file.AsSpan(5));
        publicKey.CopyTo(file.AsSpan(5 + X25519.KeySize));
        return file;
    }

    /// <summary>Checks the format and returns the private key, or null with the reason the file is unusable.</summary>
    public static byte[]? Decode(ReadOnlySpan<byte> file, out string? error)
    {
        if (file.Length != Length)
        {
            error = $"expected {Length} bytes, found {file.Length}";
            return null;
        }

        if (!file[..4].SequenceEqual(Magic) || file[4] != Version)
        {
            error = "not a p2pshare identity file (bad magic or version)";
            return null;
        }

        var privateKey = file.Slice(5, X25519.KeySize).ToArray();
        using var key = X25519.ImportPrivateKey(privateKey);
        if (!CryptographicOperations.FixedTimeEquals(X25519.PublicKeyOf(key), file[(5 + X25519.KeySize)..]))
        {
            error = "the stored public key does not match the private key (file damaged)";
            CryptographicOperations.ZeroMemory(privateKey);
            return null;
        }

        error = null;
        return privateKey;
    }

    /// <summary>Creates <paramref name="path"/> atomically with owner-only permissions; false if it already exists.</summary>
    public static bool TryCreate(string path, ReadOnlySpan<byte> contents)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(contents);
                stream.Flush(flushToDisk: true);
            }

            if (File.Exists(path))
            {
                return false;
            }

            File.Move(temp, path, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>A reason to refuse the file when group or others can access it (Unix only), else null.</summary>
    public static string? CheckPermissions(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        var mode = File.GetUnixFileMode(path);
        const UnixFileMode Others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        return (mode & Others) == 0
            ? null
            : $"identity key file '{path}' is accessible by other users (mode {Convert.ToString((int)mode, 8)}); run 'chmod 600 {path}'";
    }
}
