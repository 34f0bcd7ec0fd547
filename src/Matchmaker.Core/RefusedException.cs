namespace Matchmaker.Core;

/// <summary>Why the domain refused an action: decides the answer's status, the same way for every action.</summary>
public enum Refusal
{
    /// <summary>The input is wrong (400).</summary>
    Invalid,

    /// <summary>The input is fine but the current state forbids it (409), e.g. a taken slot or a closed window.</summary>
    Conflict,

    /// <summary>The thing named does not exist, or not for this caller (404).</summary>
    NotFound,

    /// <summary>The caller's copy is out of date: its If-Match names an older revision (412).</summary>
    Stale,
}

/// <summary>
/// An action the domain refuses (a request, a booking, an outcome, a timetable edit or repair), naming the field at
/// fault. The API turns it into a ProblemDetails in one place (<c>Problems.Refused</c>).
/// </summary>
public sealed class RefusedException(string field, string message, Refusal refusal = Refusal.Invalid) : Exception(message)
{
    /// <summary>A refusal whose sentence is in the catalogue, so the caller reads it in its own language.</summary>
    public RefusedException(string field, Messages.Message text, Refusal refusal = Refusal.Invalid)
        : this(field, text.In(Messages.MessageLanguage.En), refusal) => Text = text;

    public string Field { get; } = field;
    public Refusal Refusal { get; } = refusal;

    /// <summary>The catalogued message, when there is one; otherwise the English <see cref="Exception.Message"/> only.</summary>
    public Messages.Message? Text { get; }
}
