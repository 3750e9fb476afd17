using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.HttpResults;
using P2PShare.Tracker.Configuration;

namespace P2PShare.Tracker.Api;

/// <summary>
/// Reads a JSON request body into a DTO, turning every way it can be wrong (media type, size, syntax, missing or
/// null fields, wrong types) into a problem with a precise message instead of an exception.
/// </summary>
internal static class JsonBody
{
    /// <summary>Either the parsed body or the problem to answer with.</summary>
    public readonly record struct Result<T>(T? Value, ProblemHttpResult? Problem)
        where T : class;

    public static async Task<Result<T>> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            string given = string.IsNullOrEmpty(request.ContentType) ? "none" : request.ContentType;
            return Fail<T>(Problems.UnsupportedMediaType($"Content-Type must be application/json, got {given}"));
        }

        long limit = request.HttpContext.RequestServices.GetRequiredService<TrackerOptions>().MaxBodyBytes;
        if (request.ContentLength > limit)
        {
            return Fail<T>(Problems.TooLarge($"request body is {request.ContentLength} bytes; the limit is {limit}"));
        }

        try
        {
            var value = await JsonSerializer.DeserializeAsync(request.Body, type, cancellationToken);
            return value is null
                ? Fail<T>(Problems.BadRequest("request body must be a JSON object, got null"))
                : new Result<T>(value, null);
        }
        catch (JsonException ex)
        {
            return Fail<T>(Problems.BadRequest($"request body is not a valid {type.Type.Name}: {Describe(ex)}"));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Fail<T>(Problems.TooLarge($"request body is larger than the limit of {limit} bytes"));
        }
        catch (BadHttpRequestException ex)
        {
            return Fail<T>(Problems.Create(ex.StatusCode, "Bad request", $"request body could not be read: {ex.Message}"));
        }
    }

    private static Result<T> Fail<T>(ProblemHttpResult problem)
        where T : class => new(null, problem);

    /// <summary>The serializer's message, minus CLR namespaces and advice meant for the server's developers.</summary>
    private static string Describe(JsonException ex)
    {
        if (ex.Path is { } path && ex.Message.Contains("doesn't allow null values", StringComparison.Ordinal))
        {
            return $"{path} must not be null";
        }

        return ex.Message.Replace("P2PShare.Core.TrackerApi.", "", StringComparison.Ordinal)
            .Replace("P2PShare.Core.Manifests.", "", StringComparison.Ordinal);
    }
}
