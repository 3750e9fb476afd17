using System.Net;

namespace P2PShare.Tracker.Configuration;

/// <summary>Reads the security settings that need more than a number: API keys (inline or from a file), trusted proxies, TLS files.</summary>
internal static class TrackerSecurityOptions
{
    /// <summary>
    /// Keys from API_KEYS (comma-separated) and API_KEYS_FILE (one per line; blank lines and lines starting with
    /// <c>#</c> are skipped), together.
    /// </summary>
    public static bool TryReadApiKeys(string? inline, string? file, out IReadOnlyList<string> keys, ref string? error)
    {
        var found = new List<string>((inline ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        keys = found;
        if (string.IsNullOrWhiteSpace(file))
        {
            return true;
        }

        string[] lines;
        try
        {
            lines = File.ReadAllLines(file.Trim());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error = $"{TrackerOptionsReader.ApiKeysFileVariable}: cannot read '{file}': {ex.Message}";
            return false;
        }

        found.AddRange(lines.Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')));
        if (found.Count == 0)
        {
            error = $"{TrackerOptionsReader.ApiKeysFileVariable} '{file}' holds no keys";
            return false;
        }

        return true;
    }

    /// <summary>Comma-separated IP addresses or CIDR networks.</summary>
    public static bool TryReadProxies(SettingReader.Setting setting, out IReadOnlyList<IPNetwork> proxies, ref string? error)
    {
        var parsed = new List<IPNetwork>();
        proxies = parsed;
        foreach (string item in (setting.Text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (IPNetwork.TryParse(item, out var network))
            {
                parsed.Add(network);
            }
            else if (IPAddress.TryParse(item, out var address))
            {
                parsed.Add(new IPNetwork(address, address.GetAddressBytes().Length * 8));
            }
            else
            {
                error = SettingReader.Invalid(setting.Text!, setting.Name, $"IP addresses or CIDR networks separated by commas ('{item}' is neither)");
                return false;
            }
        }

        return true;
    }

    /// <summary>TLS needs both files, and both must exist.</summary>
    public static bool TryReadTls(SettingReader.Setting cert, SettingReader.Setting key, ref string? error)
    {
        bool hasCert = !string.IsNullOrWhiteSpace(cert.Text), hasKey = !string.IsNullOrWhiteSpace(key.Text);
        if (hasCert != hasKey)
        {
            var (given, missing) = hasCert
                ? (cert, $"its key (-tls-key or {TrackerOptionsReader.TlsKeyVariable})")
                : (key, $"its certificate (-tls-cert or {TrackerOptionsReader.TlsCertVariable})");
            error = $"{given.Name} '{given.Text}' needs {missing} as well: set both for HTTPS, or neither";
            return false;
        }

        foreach (var file in new[] { cert, key })
        {
            if (!string.IsNullOrWhiteSpace(file.Text) && !File.Exists(file.Text.Trim()))
            {
                error = SettingReader.Invalid(file.Text, file.Name, "an existing PEM file (no such file)");
                return false;
            }
        }

        return true;
    }
}
