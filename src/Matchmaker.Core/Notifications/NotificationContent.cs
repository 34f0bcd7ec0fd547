using Matchmaker.Core.Messages;
using System.Globalization;
using System.Net;
using System.Text;
using Matchmaker.Core.Calendars;
using MimeKit;

namespace Matchmaker.Core.Notifications;

/// <summary>The event, the recipient and its own meetings: everything one message may say, and nothing of anyone else's
/// contact data (the counterpart appears by organisation name only).</summary>
public sealed record MessageInput(string EventId, string EventName, string Venue, string TimeZone, string RecipientKind, long RecipientId,
    string RecipientName, string? ContactName, string Email, string Language, IReadOnlyList<NotificationItem> Items, IReadOnlyList<AgendaMeeting> Agenda,
    IReadOnlySet<long> ChangedMeetings, string MessageId, string Link, string BaseUrl)
{
    /// <summary>Until when <see cref="Link"/> signs the recipient in (null: a plain link to the page).</summary>
    public DateTimeOffset? LinkExpiresAt { get; init; }

    /// <summary>The kinds of the batched notifications, each once, in order.</summary>
    public IReadOnlyList<string> Kinds => Items.Select(i => i.Kind).Distinct().ToList();
}

/// <summary>One of the notifications a message carries: its kind and the meetings it is about.</summary>
public sealed record NotificationItem(string Kind, IReadOnlyList<long> MeetingIds);

/// <summary>One of the recipient's live meetings.</summary>
public sealed record AgendaMeeting(long MeetingId, string Slot, DateTime LocalStart, DateTime LocalEnd, int Table, string? Hall,
    string Counterpart, string Status, int Sequence);

/// <summary>
/// Builds a notification message: Korean by default (English by the participant's preference), plain text plus HTML,
/// the participant's own agenda, and for timetable changes one iTIP part per changed meeting (METHOD:REQUEST with the
/// meeting's stable UID and SEQUENCE, METHOD:CANCEL for a cancelled one) so that calendars update the entry in place.
/// </summary>
public static class NotificationContent
{
    public static MimeMessage Build(MessageInput input, MailboxAddress from, DateTimeOffset now)
    {
        var ko = input.Language != "en";
        var message = new MimeMessage { MessageId = input.MessageId, Date = now, Subject = Subject(input, ko) };
        message.From.Add(from);
        message.To.Add(new MailboxAddress(input.ContactName ?? input.RecipientName, input.Email));
        message.Headers.Add("Content-Language", ko ? "ko" : "en");

        var text = new StringBuilder();
        var html = new StringBuilder("<!DOCTYPE html><html lang=\"").Append(ko ? "ko" : "en").Append("\"><body>");
        var greeting = MessageCatalog.Text("mail.greeting", Language(ko), input.ContactName ?? input.RecipientName);
        text.AppendLine(greeting).AppendLine();
        html.Append("<p>").Append(WebUtility.HtmlEncode(greeting)).Append("</p>");
        foreach (var kind in input.Kinds.Where(k => k is not (NotificationKinds.MeetingReminder or NotificationKinds.OutcomeRequested)))
        {
            var line = Sentence(kind, input, ko);
            text.AppendLine(line);
            html.Append("<p>").Append(WebUtility.HtmlEncode(line)).Append("</p>");
        }
        var byId = input.Agenda.ToDictionary(m => m.MeetingId);
        var reminded = new HashSet<long>();
        foreach (var item in input.Items.Where(i => i.Kind == NotificationKinds.MeetingReminder))
        {
            var day = item.MeetingIds.Select(byId.GetValueOrDefault).OfType<AgendaMeeting>().Where(m => m.Status == "scheduled").ToList();
            if (day.Count == 0) continue;
            reminded.UnionWith(day.Select(m => m.MeetingId));
            var date = day.Min(m => m.LocalStart);
            var line = MessageCatalog.Text(day.Count == 1 ? "mail.reminder_one" : "mail.reminder", Language(ko),
                ko ? $"{date.Month}월 {date.Day}일" : date.ToString("dddd d MMMM", CultureInfo.InvariantCulture), input.EventName, day.Count);
            text.AppendLine(line);
            html.Append("<p>").Append(WebUtility.HtmlEncode(line)).Append("</p>");
        }
        foreach (var m in input.Items.Where(i => i.Kind == NotificationKinds.OutcomeRequested).SelectMany(i => i.MeetingIds)
                     .Select(byId.GetValueOrDefault).OfType<AgendaMeeting>().Where(m => m.Status == "scheduled").DistinctBy(m => m.MeetingId))
        {
            var when = Formats.Span(m.LocalStart, m.LocalEnd, ko ? MessageLanguage.Ko : MessageLanguage.En);
            // The sign-in link with the meeting as fragment: the browser keeps it across /login's redirect to /buyer.
            var formLink = $"{input.Link}#meeting-{m.MeetingId.ToString(CultureInfo.InvariantCulture)}";
            var line = MessageCatalog.Text("mail.outcome_question", Language(ko), when, m.Counterpart);
            var label = MessageCatalog.Text("mail.outcome_link", Language(ko));
            text.AppendLine(line).AppendLine(CultureInfo.InvariantCulture, $"{label}: {formLink}");
            html.Append("<p>").Append(WebUtility.HtmlEncode(line)).Append(" <a href=\"").Append(WebUtility.HtmlEncode(formLink)).Append("\">")
                .Append(WebUtility.HtmlEncode(label)).Append("</a></p>");
        }
        // A message that only reminds of a day (or asks for outcomes) lists that day's meetings, not the whole event's.
        var timedOnly = input.Kinds.All(k => k is NotificationKinds.MeetingReminder or NotificationKinds.OutcomeRequested);
        var live = input.Agenda.Where(m => m.Status != "cancelled" && (!timedOnly || reminded.Contains(m.MeetingId))).ToList();
        if (live.Count > 0)
        {
            var T = (string code) => MessageCatalog.Text(code, Language(ko));
            text.AppendLine().AppendLine($"[{T("mail.agenda_title")}]");
            html.Append("<h2>").Append(T("mail.agenda_title")).Append("</h2><table><tr><th>")
                .Append(T("mail.column_time")).Append("</th><th>").Append(T("mail.column_with")).Append("</th><th>")
                .Append(T("mail.column_place")).Append("</th></tr>");
            foreach (var m in live)
            {
                var when = Formats.Span(m.LocalStart, m.LocalEnd, ko ? MessageLanguage.Ko : MessageLanguage.En);
                var place = Place(m, ko);
                var mark = input.ChangedMeetings.Contains(m.MeetingId) ? $" ({T("mail.changed")})" : "";
                text.AppendLine(CultureInfo.InvariantCulture, $"- {when}  {m.Counterpart}  {place}{mark}");
                html.Append("<tr><td>").Append(WebUtility.HtmlEncode(when)).Append("</td><td>").Append(WebUtility.HtmlEncode(m.Counterpart + mark))
                    .Append("</td><td>").Append(WebUtility.HtmlEncode(place)).Append("</td></tr>");
            }
            html.Append("</table>");
        }
        var cancelled = input.Agenda.Where(m => m.Status == "cancelled" && input.ChangedMeetings.Contains(m.MeetingId)).ToList();
        foreach (var m in cancelled)
        {
            var at = Formats.DateTime(m.LocalStart, ko ? MessageLanguage.Ko : MessageLanguage.En);
            var line = MessageCatalog.Text("mail.cancelled", Language(ko), at, m.Counterpart);
            text.AppendLine(line);
            html.Append("<p>").Append(WebUtility.HtmlEncode(line)).Append("</p>");
        }
        var linkLabel = MessageCatalog.Text("mail.schedule_link", Language(ko));
        var linkLine = $"{linkLabel}: {input.Link}";
        text.AppendLine().AppendLine(linkLine);
        html.Append("<p><a href=\"").Append(WebUtility.HtmlEncode(input.Link)).Append("\">")
            .Append(linkLabel).Append("</a></p>");
        if (input.LinkExpiresAt is { } expires)
        {
            // Shown in the event's time zone, the one the participant's meetings are in.
            var local = TimeZoneInfo.ConvertTime(expires, TimeZoneInfo.FindSystemTimeZoneById(input.TimeZone));
            var until = Formats.DateTime(local.DateTime, ko ? MessageLanguage.Ko : MessageLanguage.En);
            var note = MessageCatalog.Text("mail.link_note", Language(ko), until);
            text.AppendLine(note);
            html.Append("<p>").Append(WebUtility.HtmlEncode(note)).Append("</p>");
        }
        html.Append("</body></html>");

        var body = new BodyBuilder { TextBody = text.ToString(), HtmlBody = html.ToString() };
        var organizer = new CalendarPerson(from.Name is { Length: > 0 } n ? n : input.EventName, from.Address);
        var attendee = new CalendarPerson(input.ContactName ?? input.RecipientName, input.Email);
        foreach (var m in input.Agenda.Where(m => input.ChangedMeetings.Contains(m.MeetingId)))
        {
            var cancel = m.Status == "cancelled";
            var entry = new CalendarEntry(CalendarEntry.MeetingUid(m.MeetingId, input.EventId), m.LocalStart, m.LocalEnd,
                MessageCatalog.Text("mail.calendar_summary", Language(ko), m.Counterpart), $"{input.Venue} {Place(m, ko)}".Trim(), input.EventName,
                m.Sequence, cancel, now, organizer, attendee);
            var method = cancel ? "CANCEL" : "REQUEST";
            var ics = IcsWriter.ToBytes(new CalendarFeed("-//Matchmaker//Notifications 1.0//" + (ko ? "KO" : "EN"), input.EventName,
                input.TimeZone, [entry], method), now);
            var part = new MimePart("text", "calendar")
            {
                Content = new MimeContent(new MemoryStream(ics)),
                ContentTransferEncoding = ContentEncoding.Base64,
                FileName = $"meeting-{m.MeetingId.ToString(CultureInfo.InvariantCulture)}.ics",
            };
            part.ContentType.Parameters.Add("method", method);
            part.ContentType.Charset = "utf-8";
            body.Attachments.Add(part);
        }
        message.Body = body.ToMessageBody();
        return message;
    }

    static string Place(AgendaMeeting m, bool ko) =>
        (m.Hall is { Length: > 0 } hall ? hall + " " : "") + MessageCatalog.Text("mail.table", Language(ko), m.Table);

    static string Subject(MessageInput input, bool ko)
    {
        var code = input.Kinds.Count == 1 && MessageCatalog.Entries.ContainsKey($"mail.subject.{input.Kinds[0]}") ? $"mail.subject.{input.Kinds[0]}" : "mail.subject.several";
        return $"[{input.EventName}] {MessageCatalog.Text(code, Language(ko))}";
    }

    static string Sentence(string kind, MessageInput input, bool ko) =>
        MessageCatalog.Text(MessageCatalog.Entries.ContainsKey($"mail.sentence.{kind}") ? $"mail.sentence.{kind}" : "mail.sentence.request_expired", Language(ko), input.EventName);

    static MessageLanguage Language(bool ko) => ko ? MessageLanguage.Ko : MessageLanguage.En;
}
