using Matchmaker.Api.Idempotency;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;

namespace Matchmaker.Api;

/// <summary>
/// Declares, on every operation of the OpenAPI document, the ProblemDetails answers it can give, and the bearer token
/// scheme so that Swagger's Authorize button works.
/// </summary>
/// <remarks>
/// The statuses follow from what the pipeline does to each kind of endpoint, read from its metadata, rather than
/// being repeated on every endpoint: the fallback policy answers 401 to every endpoint not marked anonymous and
/// policies and ownership checks 403; a route with parameters can name something that does not exist (404); a body
/// can be malformed (400), of the wrong media type (415) or too large (413); a write can clash (409); an idempotent
/// write can reuse a key with another body (422); If-Match can name a stale version (412); rate-limited endpoints
/// answer 429; any request whose connection to the store was lost answers 503, and so does a write the store could not
/// take in time. OpenApiDocumentTests compares these with every status the access and bad-input tests observe. Each
/// answer lists the problem codes it can carry (<c>x-problem-codes</c>): the status's own, those that follow from the
/// route and pipeline, and those the endpoint declares (<see cref="ProblemCodes"/>); every API test host checks that each
/// code it answers is listed for its operation.
/// </remarks>
public static class OpenApiProblems
{
    public const string BearerScheme = "Bearer";
    const string ProblemSchema = "ProblemDetails";

    static readonly Dictionary<int, string> Descriptions = new()
    {
        [StatusCodes.Status400BadRequest] = "The request is malformed; the problem names the field",
        [StatusCodes.Status401Unauthorized] = "No token, or one that is unknown or revoked",
        [StatusCodes.Status403Forbidden] = "The token's role may not do this",
        [StatusCodes.Status404NotFound] = "Nothing by that id that this token may see",
        [StatusCodes.Status409Conflict] = "The change clashes with the current state; the problem says with what",
        [StatusCodes.Status412PreconditionFailed] = "If-Match names another version than the current one",
        [StatusCodes.Status413PayloadTooLarge] = "The body is larger than this endpoint takes",
        [StatusCodes.Status415UnsupportedMediaType] = "The body is not of the media type this endpoint takes",
        [StatusCodes.Status422UnprocessableEntity] = "The Idempotency-Key was used before with another request",
        [StatusCodes.Status429TooManyRequests] = "Too many requests from this participant token; see Retry-After",
        [StatusCodes.Status503ServiceUnavailable] = "The connection to the store was lost (a restart), or it could not take this write in time (Matchmaker:Store:WriteTimeoutSeconds); send it again (Retry-After)",
    };

    public static OpenApiOptions AddProblemResponses(this OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "An organiser, analyst or participant token: Authorization: Bearer <token>",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer(async (operation, context, cancellationToken) =>
        {
            var document = context.Document!;
            if (document.Components?.Schemas?.ContainsKey(ProblemSchema) != true)
                document.AddComponent(ProblemSchema, await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), null, cancellationToken));
            var statuses = StatusesOf(context.Description);
            // Problems an endpoint declares itself (Produces…) are listed with their codes as well.
            foreach (var declaredKey in operation.Responses?.Keys.ToList() ?? [])
                if (int.TryParse(declaredKey, out var declaredStatus) && Descriptions.ContainsKey(declaredStatus)) statuses.Add(declaredStatus);
            operation.Responses ??= new OpenApiResponses();
            foreach (var status in statuses)
            {
                var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
                var response = operation.Responses.TryGetValue(key, out var declared) && declared is OpenApiResponse existing
                    ? existing
                    : new OpenApiResponse { Description = Descriptions[status] };
                response.Content ??= new Dictionary<string, OpenApiMediaType>();
                response.Content.Clear(); // a problem is always application/problem+json, never the success type
                response.Content["application/problem+json"] = new OpenApiMediaType
                {
                    Schema = new OpenApiSchemaReference(ProblemSchema, document),
                };
                // The machine-readable `code` members this answer can carry (Problems.CodeOfStatus and the catalogue).
                var codes = new System.Text.Json.Nodes.JsonArray();
                foreach (var code in CodesOf(status, context.Description).Distinct()) codes.Add(code);
                response.Extensions ??= new Dictionary<string, IOpenApiExtension>();
                response.Extensions["x-problem-codes"] = new JsonNodeExtension(codes);
                operation.Responses[key] = response;
            }
            if (statuses.Contains(StatusCodes.Status401Unauthorized))
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] }];
        });
        return options;
    }

    /// <summary>
    /// The problem codes an answer of <paramref name="status"/> can carry: the status's own code, and the catalogued
    /// codes that follow from the route's parameters (an event id that names no event, a job that is not there, a lang
    /// that is not ko or en, someone else's meeting).
    /// </summary>
    static IEnumerable<string> CodesOf(int status, Microsoft.AspNetCore.Mvc.ApiExplorer.ApiDescription description)
    {
        yield return Problems.CodeOfStatus[status];
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var names = description.ParameterDescriptions.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var idempotent = metadata.OfType<IdempotentAttribute>().Any();
        switch (status)
        {
            case StatusCodes.Status400BadRequest:
                yield return "validation_failed";
                if (names.Contains("lang")) yield return "lang_unknown";
                if (idempotent) yield return "idempotency.key_too_long";
                break;
            case StatusCodes.Status403Forbidden when description.HttpMethod is not ("GET" or "HEAD"):
                yield return "token.cookie_header"; // a page's write without its anti-forgery header
                break;
            case StatusCodes.Status404NotFound:
                if (names.Contains("eventId")) yield return "event_not_found";
                if (names.Contains("jobId")) yield return "job_not_found";
                if (names.Contains("smeId") || names.Contains("buyerId")) yield return "not_yours";
                break;
            case StatusCodes.Status409Conflict when idempotent:
                yield return "idempotency.in_progress";
                break;
            case StatusCodes.Status413PayloadTooLarge:
                yield return "body_too_large";
                break;
            case StatusCodes.Status422UnprocessableEntity when idempotent:
                yield return "idempotency.key_reused";
                break;
            case StatusCodes.Status429TooManyRequests:
                yield return "rate_limited";
                break;
            case StatusCodes.Status503ServiceUnavailable:
                yield return "store_unavailable";
                if (description.HttpMethod is "POST" or "PUT" or "PATCH" or "DELETE") yield return "store_busy";
                break;
        }
        // What the handler and the services it calls answer, declared beside the endpoint's mapping.
        foreach (var declared in metadata.OfType<ProblemCodes>().Where(p => p.Status == status))
            foreach (var code in declared.Codes) yield return code;
    }

    /// <summary>The problem statuses an endpoint can answer, from its route, parameters and metadata.</summary>
    static SortedSet<int> StatusesOf(Microsoft.AspNetCore.Mvc.ApiExplorer.ApiDescription description)
    {
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var method = description.HttpMethod ?? "GET";
        var parameters = description.ParameterDescriptions;
        var hasBody = parameters.Any(p => p.Source == BindingSource.Body || p.Source == BindingSource.Form
                                          || p.Source == BindingSource.FormFile);
        var statuses = new SortedSet<int>();
        if (parameters.Count > 0) statuses.Add(StatusCodes.Status400BadRequest);
        if (!metadata.OfType<IAllowAnonymous>().Any())
        {
            // The fallback policy asks every endpoint not marked anonymous for a token.
            statuses.Add(StatusCodes.Status401Unauthorized);
            statuses.Add(StatusCodes.Status403Forbidden);
        }
        if (parameters.Any(p => p.Source == BindingSource.Path)) statuses.Add(StatusCodes.Status404NotFound);
        // Any request can find its connection to the store lost (a restart); a write can also not have the store in time.
        statuses.Add(StatusCodes.Status503ServiceUnavailable);
        if (method is "POST" or "PUT" or "PATCH" or "DELETE") statuses.Add(StatusCodes.Status409Conflict);
        if (hasBody)
        {
            statuses.Add(StatusCodes.Status400BadRequest);
            statuses.Add(StatusCodes.Status413PayloadTooLarge);
            statuses.Add(StatusCodes.Status415UnsupportedMediaType);
        }
        if (parameters.Any(p => p.Source == BindingSource.Header && p.Name == "If-Match"))
            statuses.Add(StatusCodes.Status412PreconditionFailed);
        if (metadata.OfType<IdempotentAttribute>().Any()) statuses.Add(StatusCodes.Status422UnprocessableEntity);
        if (metadata.OfType<EnableRateLimitingAttribute>().Any()) statuses.Add(StatusCodes.Status429TooManyRequests);
        foreach (var declared in metadata.OfType<ProblemCodes>()) statuses.Add(declared.Status);
        return statuses;
    }
}
