using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Attune.Infrastructure.Web;

/// <summary>
/// Every API error is an RFC 9457 problem. Malformed JSON and values of the wrong type or an
/// unknown enum member become a 400 that names the field; anything unexpected becomes a 500 with
/// a trace id and nothing else: no stack trace, no message, no personal text.
/// </summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        // By now the request path has been rewritten to the error page; ask for the original.
        var failed = httpContext.Features.Get<IExceptionHandlerPathFeature>();
        var path = failed?.Path ?? httpContext.Request.Path;
        if (exception is not BadHttpRequestException)
        {
            // Type, route template and stack only: an exception's message may quote data a person
            // sent, and a path may carry an id or an invitation or reset token.
            var route = (failed?.Endpoint as RouteEndpoint)?.RoutePattern.RawText ?? "(no route)";
            logger.LogError("Unhandled {ExceptionType} on {Method} {Route}\n{StackTrace}", exception.GetType().FullName, httpContext.Request.Method, route, exception.StackTrace);
        }
        // Pages go on to the friendly error page.
        if (!path.StartsWith("/api", StringComparison.OrdinalIgnoreCase)) return false;
        ProblemDetails details;
        if (exception is BadHttpRequestException bad)
        {
            httpContext.Response.StatusCode = bad.StatusCode;
            var field = FieldOf(bad);
            details = field is null
                ? new ProblemDetails { Status = bad.StatusCode, Title = "The request could not be read.", Detail = "Please send JSON that matches the documented shape." }
                : new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = ["This value isn't valid here."] })
                {
                    Status = StatusCodes.Status400BadRequest,
                    Title = "Some details need another look.",
                };
        }
        else
        {
            httpContext.Response.StatusCode = StatusCodes.Status500InternalServerError;
            details = new ProblemDetails { Status = 500, Title = "Something went wrong on our side.", Detail = "Nothing you sent was lost to anyone else. Please try again in a moment." };
        }
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = details, Exception = null });
    }

    private static string? FieldOf(BadHttpRequestException bad)
    {
        for (Exception? e = bad; e is not null; e = e.InnerException)
        {
            if (e is JsonException { Path: { Length: > 1 } path })
            {
                var field = path.TrimStart('$', '.');
                return string.IsNullOrEmpty(field) ? "body" : field;
            }
            if (e is JsonException) return "body";
        }
        return bad.Message.Contains("body", StringComparison.OrdinalIgnoreCase) ? "body" : null;
    }
}

/// <summary>Collects field errors and answers one validation problem, so nothing is saved half-checked.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = [];

    public bool Any => _errors.Count > 0;

    /// <summary>Every message with its field, for a page to show beside the form.</summary>
    public IEnumerable<(string Field, string Message)> Items => _errors.SelectMany(kv => kv.Value.Select(m => (kv.Key, m)));

    public FieldErrors Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
        return this;
    }

    /// <summary>A calendar date in the form 2026-11-22, or null when empty; anything else is an error on <paramref name="field"/>.</summary>
    public DateOnly? Day(string field, string? value)
    {
        if (string.IsNullOrEmpty(value)) return null;
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var day)) return day;
        Add(field, "Please give a date like 2026-11-22.");
        return null;
    }

    /// <summary>
    /// Control characters (a NUL, an escape) are never part of what a person means, and PostgreSQL
    /// can't store a NUL in text: they are refused, naming the field. Multi-line text may keep its
    /// line breaks and tabs.
    /// </summary>
    public FieldErrors PlainText(string field, string? value, bool multiline = false) =>
        HasControl(value, multiline) ? Add(field, "Please leave out control characters; only ordinary text can be saved here.") : this;

    public static bool HasControl(string? value, bool multiline = false) =>
        value is not null && value.Any(c => char.IsControl(c) && !(multiline && c is '\n' or '\r' or '\t'));

    public FieldErrors MaxLength(string field, string? value, int max) =>
        value is not null && value.Length > max ? Add(field, $"Please keep this to {max} characters or fewer.") : this;

    public FieldErrors Range(string field, int? value, int min, int max) =>
        value is not null && (value < min || value > max) ? Add(field, $"Please choose a number from {min} to {max}.") : this;

    public Microsoft.AspNetCore.Http.HttpResults.ValidationProblem ToProblem() =>
        TypedResults.ValidationProblem(_errors.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray()), title: "Some details need another look.");

    /// <summary>The same problem from a page handler that a page's script calls (autosave).</summary>
    public ObjectResult ToPageProblem() =>
        new(ToProblem().ProblemDetails) { StatusCode = StatusCodes.Status400BadRequest, ContentTypes = { "application/problem+json" } };
}

/// <summary>The list shape of the API: <c>{ items, next }</c>.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? Next);
