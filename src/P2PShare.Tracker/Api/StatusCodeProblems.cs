using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace P2PShare.Tracker.Api;

/// <summary>
/// Gives the bodiless errors produced before any endpoint runs (no such route, wrong method, wrong media type) a
/// problem-details body that says what was wrong.
/// </summary>
internal static class StatusCodeProblems
{
    public static async Task WriteAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        string method = http.Request.Method;
        string path = http.Request.Path.Value ?? "/";
        int status = http.Response.StatusCode;
        string detail = status switch
        {
            StatusCodes.Status404NotFound => $"there is no endpoint at {path}",
            StatusCodes.Status405MethodNotAllowed => $"{method} is not allowed on {path}; allowed: {http.Response.Headers.Allow}",
            StatusCodes.Status415UnsupportedMediaType => $"{method} {path} needs Content-Type: application/json, got {(string.IsNullOrEmpty(http.Request.ContentType) ? "none" : http.Request.ContentType)}",
            _ => $"{method} {path} failed with status {status}",
        };
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails { Status = status, Detail = detail },
        });
    }
}
