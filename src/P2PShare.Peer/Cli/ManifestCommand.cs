using System.CommandLine;
using P2PShare.Core.Manifests;

namespace P2PShare.Peer.Cli;

/// <summary><c>peer manifest &lt;path&gt;</c>: prints a file's manifest as JSON, like sha256sum, with no network.</summary>
internal static class ManifestCommand
{
    public static Command Create()
    {
        var path = new Argument<FileInfo>("path") { Description = "The file to describe." };
        var command = new Command("manifest", "Print the manifest (file ID, size, chunk hashes) of a file as JSON.") { path };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var file = parseResult.GetValue(path)!;
            if (!file.Exists)
            {
                await Console.Error.WriteLineAsync($"peer manifest: no such file: {file.FullName}");
                return 2;
            }

            try
            {
                var manifest = await ManifestBuilder.BuildAsync(file.FullName, cancellationToken);
                await Console.Out.WriteLineAsync(ManifestJson.Serialize(manifest));
                return 0;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"peer manifest: cannot read {file.FullName}: {ex.Message}");
                return 1;
            }
        });
        return command;
    }
}
