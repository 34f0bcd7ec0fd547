using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Matchmaker.Core;
using Matchmaker.Core.Messages;
using Microsoft.AspNetCore.Mvc;

namespace Matchmaker.Api;

/// <summary>RFC 9457 problems (application/problem+json) that name the field at fault in a <c>field</c> member.</summary>
public static class Problems
{
    public static ProblemHttpResult NotFound(Message detail, string? field = null) =>
        Create(StatusCodes.Status404NotFound, "Not found", detail, field);

    public static ProblemHttpResult Conflict(Message detail, string? field = null) =>
        Create(StatusCodes.Status409Conflict, "Conflict", detail, field);

    public static ProblemHttpResult BadRequest(Message detail, string? field = null) =>
        Create(StatusCodes.Status400BadRequest, "Bad request", detail, field);

    public static ProblemHttpResult PreconditionFailed(Message detail, string? field = null) =>
        Create(StatusCodes.Status412PreconditionFailed, "Precondition failed", detail, field);

    public static ProblemHttpResult Unprocessable(Message detail, string? field = null) =>
        Create(StatusCodes.Status422UnprocessableEntity, "Unprocessable request", detail, field);

    public static ProblemHttpResult TooManyRequests(Message detail) =>
        Create(StatusCodes.Status429TooManyRequests, "Too many requests", detail, null);

    public static ProblemHttpResult TooLarge(Message detail, string? field = null) =>
        Create(StatusCodes.Status413PayloadTooLarge, "Content too large", detail, field);

    public static ProblemHttpResult Forbidden(Message detail, string? field = null) =>
        Create(StatusCodes.Status403Forbidden, "Forbidden", detail, field);

    /// <summary>A write the store could not take within its bound (the store-write pipeline's timeout); the caller may send it again.</summary>
    public static ProblemHttpResult StoreBusy() =>
        Create(StatusCodes.Status503ServiceUnavailable, "Service unavailable", new Message("store_busy"), null);

    /// <summary>The connection to the store was lost (a restart, a failover); the caller may send the request again shortly.</summary>
    public static ProblemHttpResult StoreUnavailable() =>
        Create(StatusCodes.Status503ServiceUnavailable, "Service unavailable", new Message("store_unavailable"), null);

    /// <summary>
    /// Field errors of a request (the shape checks our handlers make beyond the validation attributes), each from the
    /// catalogue; the first names the field like every other answer.
    /// </summary>
    public static ProblemHttpResult Invalid(IReadOnlyDictionary<string, Message[]> errors)
    {
        var problem = new CataloguedValidationProblem(errors.ToDictionary(e => e.Key, e => e.Value.Select(m => m.In(MessageLanguage.En)).ToArray()))
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "One or more validation errors occurred.",
            Texts = errors,
        };
        return TypedResults.Problem(problem);
    }

    /// <summary>Field errors as the domain reports them (<see cref="FieldError"/>), grouped by field.</summary>
    public static ProblemHttpResult Invalid(IEnumerable<Core.Events.FieldError> errors) =>
        Invalid(errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Text).ToArray()));

    /// <summary>The one mapping of a refused domain action to its answer (see <see cref="Refusal"/>).</summary>
    public static ProblemHttpResult Refused(RefusedException e)
    {
        var detail = e.Text ?? new Message("refused", e.Message);
        return e.Refusal switch
        {
            Refusal.NotFound => NotFound(detail, e.Field),
            Refusal.Conflict => Conflict(detail, e.Field),
            Refusal.Stale => PreconditionFailed(detail, e.Field),
            _ => BadRequest(detail, e.Field),
        };
    }

    public static ProblemHttpResult EventNotFound(string eventId) => NotFound(new Message("event_not_found", eventId), "eventId");

    /// <summary>
    /// Someone else's SME or buyer (or their itinerary): answered as not found, so a participant cannot even learn
    /// which ids exist.
    /// </summary>
    public static ProblemHttpResult NotYours(string field) => NotFound(new Message("not_yours"), field);

    /// <summary>The code of a problem by its status, for the problems no catalogued message more precisely names.</summary>
    public static readonly IReadOnlyDictionary<int, string> CodeOfStatus = new Dictionary<int, string>
    {
        [StatusCodes.Status400BadRequest] = "bad_request",
        [StatusCodes.Status401Unauthorized] = "unauthorized",
        [StatusCodes.Status403Forbidden] = "forbidden",
        [StatusCodes.Status404NotFound] = "not_found",
        [StatusCodes.Status405MethodNotAllowed] = "method_not_allowed",
        [StatusCodes.Status409Conflict] = "conflict",
        [StatusCodes.Status412PreconditionFailed] = "precondition_failed",
        [StatusCodes.Status413PayloadTooLarge] = "too_large",
        [StatusCodes.Status415UnsupportedMediaType] = "unsupported_media_type",
        [StatusCodes.Status422UnprocessableEntity] = "unprocessable",
        [StatusCodes.Status429TooManyRequests] = "too_many_requests",
        [StatusCodes.Status500InternalServerError] = "server_error",
        [StatusCodes.Status503ServiceUnavailable] = "service_unavailable",
    };

    /// <summary>
    /// Every problem, ours and the host's (validation, status pages): a <c>code</c> member, and the title and, for a
    /// catalogued message, the detail in the caller's language. A failed shape check (the validation attributes on
    /// request records) names its first field like every other answer.
    /// </summary>
    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var language = Labels.PrefersKorean(context.HttpContext) ? MessageLanguage.Ko : MessageLanguage.En;
        problem.Title = problem.Title is { } title ? Labels.For(context.HttpContext, title) : null;
        if (problem is CataloguedProblem { Text: { } text }) problem.Detail = text.In(language);
        if (problem is HttpValidationProblemDetails validation)
        {
            // Each field's errors in the caller's language, and their codes beside them (errorCodes: field → codes). Ours
            // carry catalogued messages; the validation attributes on request records name a catalogue code as their message.
            // A message of the host's own (a value the JSON reader could not bind) keeps its English for English callers
            // and reads as the generic field_invalid for Korean ones.
            var texts = (problem as CataloguedValidationProblem)?.Texts ?? validation.Errors.ToDictionary(e => e.Key,
                e => e.Value.Select(m => MessageCatalog.Entries.ContainsKey(m) ? new Message(m) : new Message("field_invalid", m)).ToArray());
            var codes = new Dictionary<string, string[]>();
            foreach (var (field, messages) in texts.Where(t => t.Value.Length > 0))
            {
                validation.Errors[field] = messages.Select(m => m.In(language)).ToArray();
                codes[JsonField(field)] = messages.Select(m => m.Code).ToArray();
            }
            if (codes.Count > 0) problem.Extensions["errorCodes"] = codes;
        }
        if (!problem.Extensions.ContainsKey("code"))
            problem.Extensions["code"] = problem is HttpValidationProblemDetails ? "validation_failed"
                : CodeOfStatus.GetValueOrDefault(problem.Status ?? context.HttpContext.Response.StatusCode, "error");
        if (problem is HttpValidationProblemDetails { Errors: { Count: > 0 } errors } && !problem.Extensions.ContainsKey("field"))
        {
            var (field, messages) = errors.First();
            problem.Extensions["field"] = JsonField(field);
            problem.Detail ??= messages.FirstOrDefault();
        }
    }

    /// <summary>"Changes[0].Kind" as the JSON spells it: "changes[0].kind".</summary>
    static string JsonField(string field) => string.Join('.', field.Split('.').Select(JsonNamingPolicy.CamelCase.ConvertName));

    static ProblemHttpResult Create(int status, string title, Message detail, string? field)
    {
        // A detail the generic "refused" wraps has no more precise code than its status.
        var problem = new CataloguedProblem { Status = status, Title = title, Detail = detail.In(MessageLanguage.En), Text = detail };
        problem.Extensions["code"] = detail.Code == "refused" ? CodeOfStatus[status] : detail.Code;
        if (field is not null) problem.Extensions["field"] = field;
        return TypedResults.Problem(problem);
    }

    /// <summary>Field errors from the catalogue, rendered in the caller's language by <see cref="Customize"/>.</summary>
    sealed class CataloguedValidationProblem(IDictionary<string, string[]> errors) : HttpValidationProblemDetails(errors)
    {
        [System.Text.Json.Serialization.JsonIgnore]
        public IReadOnlyDictionary<string, Message[]>? Texts { get; init; }
    }

    /// <summary>A problem whose detail comes from the catalogue, rendered in the caller's language by <see cref="Customize"/>.</summary>
    sealed class CataloguedProblem : ProblemDetails
    {
        [System.Text.Json.Serialization.JsonIgnore]
        public Message? Text { get; init; }
    }
}
