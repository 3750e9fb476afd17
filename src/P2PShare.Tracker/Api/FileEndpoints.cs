using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using P2PShare.Core.Manifests;
using P2PShare.Core.TrackerApi;
using P2PShare.Tracker.Configuration;
using P2PShare.Tracker.Models;
using P2PShare.Tracker.Swarm;

namespace P2PShare.Tracker.Api;

/// <summary>/api/files: announce, withdraw, list, manifest, holders.</summary>
internal static class FileEndpoints
{
    public static RouteGroupBuilder MapFileEndpoints(this RouteGroupBuilder api)
    {
        var files = api.MapGroup("/files").WithTags("Files");
        files.MapPost("/announce", AnnounceAsync)
            .WithName("AnnounceFile")
            .WithSummary("Records that a peer holds a file (completely or partially), cataloguing a new manifest.")
            .Accepts<AnnounceRequest>("application/json");
        files.MapPost("/withdraw", WithdrawAsync)
            .WithName("WithdrawFile")
            .WithSummary("Records that a peer no longer holds a file.")
            .Accepts<WithdrawRequest>("application/json");
        files.MapGet("", List)
            .WithName("ListFiles")
            .WithSummary("Lists files with live holders, newest first, without chunk hashes.");
        files.MapGet("/{hash}", Manifest)
            .WithName("GetManifest")
            .WithSummary("Returns a file's full manifest.");
        files.MapGet("/{hash}/peers", Holders)
            .WithName("GetFilePeers")
            .WithSummary("Returns the live peers holding a file.");
        return api;
    }

    private static async Task<Results<Created<AnnounceResponse>, Ok<AnnounceResponse>, ProblemHttpResult>> AnnounceAsync(
        HttpContext context, PeerService peers, FileService files, TrackerOptions options, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync(context.Request, TrackerApiJsonContext.Default.AnnounceRequest, cancellationToken);
        if (body.Problem is { } problem)
        {
            return problem;
        }

        if (FileRequestValidator.Validate(body.Value!, out var request, out int verifiedChunks) is { } error)
        {
            return Problems.BadRequest(error);
        }

        if (PeerAuthorization.Authorize(context, peers, request.PeerId, out var denied) is not { } peer)
        {
            return denied!;
        }

        if (ManifestCost.Of(request.Manifest) > options.MaxManifestBytes)
        {
            return Problems.TooLarge($"this manifest counts {ManifestCost.Of(request.Manifest)} bytes; the tracker keeps at most {options.MaxManifestBytes} (MAX_MANIFEST_BYTES)");
        }

        var outcome = files.Announce(peer, request.Manifest, request.Complete, verifiedChunks, out var entry);
        var response = new AnnounceResponse { Hash = entry.Hash, Created = outcome == AnnounceOutcome.Created };
        return outcome switch
        {
            AnnounceOutcome.Conflict => Problems.Conflict(
                $"file {entry.Hash} is already catalogued with size {entry.Manifest.Size} and different chunks"),
            AnnounceOutcome.PeerLimit => Problems.Forbidden(
                $"peer {peer.PeerId} already holds {options.MaxFilesPerPeer} files, the most one peer may announce (MAX_FILES_PER_PEER); withdraw some first"),
            AnnounceOutcome.FileLimit => Problems.Create(
                StatusCodes.Status409Conflict, "Catalogue full", $"the catalogue holds {options.MaxFiles} files, its limit (MAX_FILES); new files are refused until some leave"),
            AnnounceOutcome.ManifestBytesLimit => Problems.Create(
                StatusCodes.Status409Conflict, "Catalogue full", $"the catalogue's manifests reach {options.MaxManifestBytes} bytes, its limit (MAX_MANIFEST_BYTES); new files are refused until some leave"),
            AnnounceOutcome.Created => TypedResults.Created($"/api/files/{entry.Hash}", response),
            _ => TypedResults.Ok(response),
        };
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> WithdrawAsync(
        HttpContext context, PeerService peers, FileService files, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync(context.Request, TrackerApiJsonContext.Default.WithdrawRequest, cancellationToken);
        if (body.Problem is { } problem)
        {
            return problem;
        }

        if (FileRequestValidator.Validate(body.Value!, out var request) is { } error)
        {
            return Problems.BadRequest(error);
        }

        if (PeerAuthorization.Authorize(context, peers, request.PeerId, out var denied) is not { } peer)
        {
            return denied!;
        }

        files.Withdraw(peer, request.Hash);
        return TypedResults.NoContent();
    }

    private static Results<Ok<FileListResponse>, ProblemHttpResult> List(FileService files, string? limit, string? offset, string? q)
    {
        if (!TryParse("limit", limit, TrackerLimits.DefaultPageSize, 1, TrackerLimits.MaxPageSize, out int pageSize, out string? error)
            || !TryParse("offset", offset, 0, 0, int.MaxValue, out int skip, out error))
        {
            return Problems.BadRequest(error!);
        }

        if (q is { Length: > TrackerLimits.MaxQueryLength })
        {
            return Problems.BadRequest($"q must be at most {TrackerLimits.MaxQueryLength} characters, got {q.Length}");
        }

        return TypedResults.Ok(files.List(string.IsNullOrEmpty(q) ? null : q, pageSize, skip));
    }

    private static Results<Ok<FileManifest>, ProblemHttpResult> Manifest(string hash, FileService files)
    {
        if (TextChecks.HashError("file hash", hash) is { } error)
        {
            return Problems.BadRequest(error);
        }

        return files.FindManifest(hash.ToLowerInvariant()) is { } manifest
            ? TypedResults.Ok(manifest)
            : Problems.NotFound($"file {hash.ToLowerInvariant()} is not catalogued");
    }

    private static Results<Ok<FilePeersResponse>, ProblemHttpResult> Holders(string hash, FileService files)
    {
        if (TextChecks.HashError("file hash", hash) is { } error)
        {
            return Problems.BadRequest(error);
        }

        return files.Holders(hash.ToLowerInvariant()) is { } holders
            ? TypedResults.Ok(holders)
            : Problems.NotFound($"file {hash.ToLowerInvariant()} is not catalogued");
    }

    private static bool TryParse(string name, string? text, int fallback, int min, int max, out int value, out string? error)
    {
        error = null;
        value = fallback;
        if (text is null)
        {
            return true;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) || value < min || value > max)
        {
            error = $"{name} must be a whole number between {min} and {max}, got {TextChecks.Quote(text)}";
            return false;
        }

        return true;
    }
}
