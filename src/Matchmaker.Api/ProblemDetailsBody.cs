using Microsoft.AspNetCore.Mvc;

namespace Matchmaker.Api;

/// <summary>An RFC 9457 problem with the field at fault, for typed results other than validation problems.</summary>
public sealed class ProblemDetailsBody : ProblemDetails
{
    /// <summary>The request field, query parameter or route value at fault, when there is one.</summary>
    public string? Field { get; init; }

    public static ProblemDetailsBody NotFound(string detail, string? field = null) => new()
    {
        Type = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5",
        Title = "Not found",
        Status = StatusCodes.Status404NotFound,
        Detail = detail,
        Field = field,
    };

    public static ProblemDetailsBody Conflict(string detail, string? field = null) => new()
    {
        Type = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.10",
        Title = "Conflict",
        Status = StatusCodes.Status409Conflict,
        Detail = detail,
        Field = field,
    };

    public static ProblemDetailsBody BadRequest(string detail, string? field = null) => new()
    {
        Type = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.1",
        Title = "Bad request",
        Status = StatusCodes.Status400BadRequest,
        Detail = detail,
        Field = field,
    };
}
