using System.Text.Json;

namespace P2PShare.Core.Tests.Vectors;

/// <summary>Loads a published test-vector file copied next to the test assembly.</summary>
internal static class VectorFile
{
    public static JsonElement Load(string fileName)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Vectors", fileName);
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        return document.RootElement.Clone();
    }
}
