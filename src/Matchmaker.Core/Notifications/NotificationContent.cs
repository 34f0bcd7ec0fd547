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
        var greeting = ko ? $"{input.ContactName ?? input.RecipientName} 님, 안녕하십니까." : $"Dear {input.ContactName ?? input.RecipientName},";
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
            var line = ko
                ? $"내일({date.Month}월 {date.Day}일) {input.EventName}에서 {day.Count}건의 1:1 상담이 예정되어 있습니다. 시간과 장소를 확인해 주십시오."
                : $"Tomorrow ({date.ToString("dddd d MMMM", CultureInfo.InvariantCulture)}) you have {day.Count} one-to-one meeting{(day.Count == 1 ? "" : "s")} at {input.EventName}. Please check the times and places.";
            text.AppendLine(line);
            html.Append("<p>").Append(WebUtility.HtmlEncode(line)).Append("</p>");
        }
        foreach (var m in input.Items.Where(i => i.Kind == NotificationKinds.OutcomeRequested).SelectMany(i => i.MeetingIds)
                     .Select(byId.GetValueOrDefault).OfType<AgendaMeeting>().Where(m => m.Status == "scheduled").DistinctBy(m => m.MeetingId))
        {
            var when = Formats.Span(m.LocalStart, m.LocalEnd, ko ? MessageLanguage.Ko : MessageLanguage.En);
            // The sign-in link with the meeting as fragment: the browser keeps it across /login's redirect to /buyer.
            var formLink = $"{input.Link}#meeting-{m.MeetingId.ToString(CultureInfo.InvariantCulture)}";
            var line = ko
                ? $"{when} {m.Counterpart} 상담은 어떠셨습니까? 결과(참석 여부, 만족도, 후속 조치)를 기록해 주십시오."
                : $"How did your meeting with {m.Counterpart} ({when}) go? Please record its outcome (held or no-show, rating, follow-up).";
            var label = ko ? "상담 결과 기록하기" : "Record the outcome";
            text.AppendLine(line).AppendLine(CultureInfo.InvariantCulture, $"{label}: {formLink}");
            html.Append("<p>").Append(WebUtility.HtmlEncode(line)).Append(" <a href=\"").Append(WebUtility.HtmlEncode(formLink)).Append("\">")
                .Append(WebUtility.HtmlEncode(label)).Append("</a></p>");
        }
        // A message that only reminds of a day (or asks for outcomes) lists that day's meetings, not the whole event's.
        var timedOnly = input.Kinds.All(k => k is NotificationKinds.MeetingReminder or NotificationKinds.OutcomeRequested);
        var live = input.Agenda.Where(m => m.Status != "cancelled" && (!timedOnly || reminded.Contains(m.MeetingId))).ToList();
        if (live.Count > 0)
        {
            text.AppendLine().AppendLine(ko ? "[나의 상담 일정]" : "[Your meetings]");
            html.Append("<h2>").Append(ko ? "나의 상담 일정" : "Your meetings").Append("</h2><table><tr><th>")
                .Append(ko ? "시간" : "Time").Append("</th><th>").Append(ko ? "상대" : "With").Append("</th><th>")
                .Append(ko ? "장소" : "Place").Append("</th></tr>");
            foreach (var m in live)
            {
                var when = Formats.Span(m.LocalStart, m.LocalEnd, ko ? MessageLanguage.Ko : MessageLanguage.En);
                var place = Place(m, ko);
                var mark = input.ChangedMeetings.Contains(m.MeetingId) ? (ko ? " (변경)" : " (changed)") : "";
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
            var line = ko ? $"취소된 상담: {at} {m.Counterpart}" : $"Cancelled: {at} {m.Counterpart}";
            text.AppendLine(line);
            html.Append("<p>").Append(WebUtility.HtmlEncode(line)).Append("</p>");
        }
        var linkLine = ko ? $"일정 보기: {input.Link}" : $"Your schedule: {input.Link}";
        text.AppendLine().AppendLine(linkLine);
        html.Append("<p><a href=\"").Append(WebUtility.HtmlEncode(input.Link)).Append("\">")
            .Append(ko ? "일정 보기" : "Your schedule").Append("</a></p>");
        if (input.LinkExpiresAt is { } expires)
        {
            // Shown in the event's time zone, the one the participant's meetings are in.
            var local = TimeZoneInfo.ConvertTime(expires, TimeZoneInfo.FindSystemTimeZoneById(input.TimeZone));
            var until = Formats.DateTime(local.DateTime, ko ? MessageLanguage.Ko : MessageLanguage.En);
            var note = ko
                ? $"이 링크는 받는 분 전용 로그인 링크로 {until}까지 유효합니다. 다른 사람에게 전달하지 마십시오."
                : $"This link signs you in and is yours alone; it works until {until}. Please do not forward it.";
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
                $"{(ko ? "상담" : "Meeting")}: {m.Counterpart}", $"{input.Venue} {Place(m, ko)}".Trim(), input.EventName,
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
        (m.Hall is { Length: > 0 } hall ? hall + " " : "") + (ko ? $"{m.Table}번 테이블" : $"table {m.Table}");

    static string Subject(MessageInput input, bool ko)
    {
        var kind = input.Kinds.Count == 1 ? input.Kinds[0] : "several";
        var what = (kind, ko) switch
        {
            (NotificationKinds.TimetablePublished, true) => "상담 일정이 확정되었습니다",
            (NotificationKinds.TimetablePublished, false) => "your meeting schedule is out",
            (NotificationKinds.TimetableRepaired, true) => "상담 일정이 변경되었습니다",
            (NotificationKinds.TimetableRepaired, false) => "your meeting schedule has changed",
            (NotificationKinds.RequestReceived, true) => "새 상담 요청이 도착했습니다",
            (NotificationKinds.RequestReceived, false) => "you have a new introduction request",
            (NotificationKinds.RequestAccepted, true) => "상담 요청이 수락되었습니다",
            (NotificationKinds.RequestAccepted, false) => "your introduction request was accepted",
            (NotificationKinds.RequestDeclined, true) => "상담 요청이 거절되었습니다",
            (NotificationKinds.RequestDeclined, false) => "your introduction request was declined",
            (NotificationKinds.RequestExpired, true) => "상담 요청이 만료되었습니다",
            (NotificationKinds.RequestExpired, false) => "your introduction request expired",
            (NotificationKinds.MeetingReminder, true) => "내일 상담 일정 안내",
            (NotificationKinds.MeetingReminder, false) => "your meetings tomorrow",
            (NotificationKinds.OutcomeRequested, true) => "상담 결과를 기록해 주십시오",
            (NotificationKinds.OutcomeRequested, false) => "please record your meeting's outcome",
            (_, true) => "새 소식이 있습니다",
            _ => "news about your meetings",
        };
        return $"[{input.EventName}] {what}";
    }

    static string Sentence(string kind, MessageInput input, bool ko) => (kind, ko) switch
    {
        (NotificationKinds.TimetablePublished, true) => $"{input.EventName}의 1:1 구매상담 일정이 확정되었습니다. 첨부된 일정 파일을 열면 달력에 추가됩니다.",
        (NotificationKinds.TimetablePublished, false) => $"The one-to-one meeting schedule of {input.EventName} is published. Open the attached invitations to add the meetings to your calendar.",
        (NotificationKinds.TimetableRepaired, true) => "현장 사정으로 상담 일정 일부가 변경되었습니다. 첨부 파일이 달력의 일정을 갱신합니다.",
        (NotificationKinds.TimetableRepaired, false) => "Some of your meetings changed on the day. The attachments update the entries in your calendar.",
        (NotificationKinds.RequestReceived, true) => "중소기업으로부터 새 상담 요청이 도착했습니다. 수락 또는 거절해 주십시오.",
        (NotificationKinds.RequestReceived, false) => "An SME asked to meet you. Please accept or decline the request.",
        (NotificationKinds.RequestAccepted, true) => "구매기업이 상담 요청을 수락했습니다.",
        (NotificationKinds.RequestAccepted, false) => "The buyer accepted your introduction request.",
        (NotificationKinds.RequestDeclined, true) => "구매기업이 상담 요청을 거절했습니다.",
        (NotificationKinds.RequestDeclined, false) => "The buyer declined your introduction request.",
        (NotificationKinds.RequestExpired, true) => "요청 기간이 끝나 답을 받지 못한 상담 요청이 만료되었습니다.",
        _ => "The request window closed before the buyer answered; your request expired.",
    };
}
