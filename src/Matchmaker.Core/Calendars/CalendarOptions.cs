namespace Matchmaker.Core.Calendars;

/// <summary>Calendar settings (section <c>Matchmaker:Calendar</c>).</summary>
public sealed record CalendarOptions
{
    /// <summary>
    /// The ORGANIZER of the iTIP cancellation files (default <c>organiser@matchmaker.invalid</c>, a reserved domain that
    /// never receives mail). Calendar apps show it and may reply to it, so an expo sets its own address; it must be one.
    /// </summary>
    public string OrganizerEmail { get; init; } = "organiser@matchmaker.invalid";
}
