using System.Text.Json;

namespace P2PShare.Core.Manifests;

/// <summary>Reads and writes the manifest JSON of the protocol, validating everything it reads.</summary>
public static class ManifestJson
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string Serialize(FileManifest manifest, bool indented = true) =>
        JsonSerializer.Serialize(manifest, indented ? Indented : JsonSerializerOptions.Default);

    /// <summary>Parses and validates; on failure returns false with a message saying what is wrong.</summary>
    public static bool TryParse(string json, out FileManifest? manifest, out string? error)
    {
        manifest = null;
        try
        {
            manifest = JsonSerializer.Deserialize<FileManifest>(json);
        }
        catch (JsonException ex)
        {
            error = $"manifest is not valid JSON: {ex.Message}";
            return false;
        }

        error = ManifestValidator.Validate(manifest);
        if (error is not null)
        {
            manifest = null;
            return false;
        }

        return true;
    }
}
