using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Matchmaker.Core;
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

    /// <summary>The one mapping of a refused domain action to its answer (see <see cref="Refusal"/>).</summary>
    public static ProblemHttpResult Refused(RefusedException e) => e.Refusal switch
    {
        Refusal.NotFound => NotFound(e.Message, e.Field),
        Refusal.Conflict => Conflict(e.Message, e.Field),
        Refusal.Stale => PreconditionFailed(e.Message, e.Field),
        _ => BadRequest(e.Message, e.Field),
    };

    public static ProblemHttpResult EventNotFound(string eventId) =>
        NotFound($"There is no event '{eventId}'.", "eventId");

    /// <summary>
    /// Someone else's SME or buyer (or their itinerary): answered as not found, so a participant cannot even learn
    /// which ids exist.
    /// </summary>
    public static ProblemHttpResult NotYours(string field) => NotFound("There is nothing of yours here.", field);

    /// <summary>
    /// Every problem the host writes itself (validation, status pages): the title in the caller's language, and a
    /// failed shape check (the validation attributes on request records) names its first field like every other answer.
    /// </summary>
    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        problem.Title = problem.Title is { } title ? Labels.For(context.HttpContext, title) : null;
        if (problem is HttpValidationProblemDetails { Errors: { Count: > 0 } errors } && !problem.Extensions.ContainsKey("field"))
        {
            var (field, messages) = errors.First();
            problem.Extensions["field"] = string.Join('.', field.Split('.').Select(JsonNamingPolicy.CamelCase.ConvertName)); // K → k, as the JSON spells it
            problem.Detail ??= messages.FirstOrDefault();
        }
    }

    static ProblemHttpResult Create(int status, string title, string detail, string? field)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        if (field is not null) problem.Extensions["field"] = field;
        return TypedResults.Problem(problem);
    }
}
