using System.Text.Json;

namespace P2PShare.Core.Tests.Crypto;

/// <summary>Reads the published vector files copied into Vectors/ (see Vectors/CRYPTO-SOURCES.md).</summary>
internal static class CryptoVectors
{
    public static JsonElement Load(string fileName)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Vectors", fileName);
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        return document.RootElement.Clone();
    }

    public static byte[] Hex(this JsonElement element, string property) => Convert.FromHexString(element.GetProperty(property).GetString()!);

    public static string Text(this JsonElement element, string property) => element.GetProperty(property).GetString()!;
}
