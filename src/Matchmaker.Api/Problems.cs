using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Matchmaker.Api;

/// <summary>RFC 9457 problems (application/problem+json) that name the field at fault in a <c>field</c> member.</summary>
public static class Problems
{
    public static ProblemHttpResult NotFound(string detail, string? field = null) =>
        Create(StatusCodes.Status404NotFound, "Not found", detail, field);

    public static ProblemHttpResult Conflict(string detail, string? field = null) =>
        Create(StatusCodes.Status409Conflict, "Conflict", detail, field);

    public static ProblemHttpResult BadRequest(string detail, string? field = null) =>
        Create(StatusCodes.Status400BadRequest, "Bad request", detail, field);

    public static ProblemHttpResult PreconditionFailed(string detail, string? field = null) =>
        Create(StatusCodes.Status412PreconditionFailed, "Precondition failed", detail, field);

    public static ProblemHttpResult Unprocessable(string detail, string? field = null) =>
        Create(StatusCodes.Status422UnprocessableEntity, "Unprocessable request", detail, field);

    public static ProblemHttpResult TooManyRequests(string detail) =>
        Create(StatusCodes.Status429TooManyRequests, "Too many requests", detail, null);

    public static ProblemHttpResult TooLarge(string detail, string? field = null) =>
        Create(StatusCodes.Status413PayloadTooLarge, "Content too large", detail, field);

    static ProblemHttpResult Create(int status, string title, string detail, string? field)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        if (field is not null) problem.Extensions["field"] = field;
        return TypedResults.Problem(problem);
    }
}
