namespace Matchmaker.Core.Notifications;

/// <summary>How notifications leave the product (section <c>Matchmaker:Notifications</c>).</summary>
public sealed record NotificationOptions
{
    /// <summary>The SMTP server. With no <see cref="SmtpOptions.Host"/> (the default) messages are written as .eml files
    /// into <c>outbox/</c> of the data folder instead, so a newcomer can open them.</summary>
    public SmtpOptions Smtp { get; init; } = new();

    /// <summary>Attempts before a notification that keeps failing transiently is marked failed. Too small: a short SMTP
    /// outage fails mail that would have gone through; too large: a dead server keeps the job retrying.</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>First delay between retries of one message (doubled each time). Tests set it to a few milliseconds.</summary>
    public double RetryDelaySeconds { get; init; } = 2;

    /// <summary>Seconds between sweeps of the outbox by the process that runs jobs. Too small: the job runs idle often;
    /// too large: a request's answer reaches the SME late (a publish asks for delivery at once either way).</summary>
    public double DeliverEverySeconds { get; init; } = 15;

    /// <summary>How long a participant's notification waits for others to join it in one message: a batch goes out when
    /// its oldest notification is this old. Too small: an SME whose three requests are answered within a minute gets three
    /// mails; too large: every message, a publish's too, arrives that much later. 0 sends at the next sweep.</summary>
    public double BatchSeconds { get; init; } = 60;

    /// <summary>Seconds between sweeps for the notifications that time brings due (the reminder the day before, the outcome
    /// form link after a meeting). Too large: an outcome link arrives that much after the meeting ended.</summary>
    public double SweepEverySeconds { get; init; } = 60;

    /// <summary>Local time (in the event's time zone) from which the day before an event day its participants are
    /// reminded of their meetings; a timetable published later that day still reminds at the next sweep.</summary>
    public TimeSpan RemindFromLocalTime { get; init; } = TimeSpan.FromHours(15);

    /// <summary>A meeting whose slot ended longer ago than this gets no outcome form link (a worker that was down for
    /// days, or an old event loaded afterwards, must not mail buyers about long-past meetings).</summary>
    public double OutcomeLinkWithinHours { get; init; } = 24;

    /// <summary>Address of the product as participants reach it (links in messages).</summary>
    public string PublicBaseUrl { get; init; } = "http://localhost:5000";

    public void Validate()
    {
        if (MaxAttempts < 1) throw new ArgumentOutOfRangeException(nameof(MaxAttempts), "must be at least 1");
        if (!(DeliverEverySeconds >= 1)) throw new ArgumentOutOfRangeException(nameof(DeliverEverySeconds), "must be at least 1");
        if (!(BatchSeconds >= 0)) throw new ArgumentOutOfRangeException(nameof(BatchSeconds), "must not be negative");
        if (!(SweepEverySeconds >= 1)) throw new ArgumentOutOfRangeException(nameof(SweepEverySeconds), "must be at least 1");
        if (RemindFromLocalTime < TimeSpan.Zero || RemindFromLocalTime >= TimeSpan.FromDays(1))
            throw new ArgumentOutOfRangeException(nameof(RemindFromLocalTime), "must be a time of day (00:00–23:59)");
        if (!(OutcomeLinkWithinHours > 0)) throw new ArgumentOutOfRangeException(nameof(OutcomeLinkWithinHours), "must be positive");
        if (!(RetryDelaySeconds >= 0)) throw new ArgumentOutOfRangeException(nameof(RetryDelaySeconds), "must not be negative");
        if (!Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out _)) throw new ArgumentException("must be an absolute URL", nameof(PublicBaseUrl));
        if (Smtp.Host is { Length: > 0 })
        {
            if (Smtp.Port is < 1 or > 65535) throw new ArgumentOutOfRangeException("Smtp:Port", "must be 1–65535");
            if (!MimeKit.MailboxAddress.TryParse(Smtp.From, out _)) throw new ArgumentException($"'{Smtp.From}' is not an e-mail address", "Smtp:From");
        }
    }
}

/// <summary>The SMTP server notifications are delivered through (section <c>Matchmaker:Notifications:Smtp</c>).</summary>
public sealed record SmtpOptions
{
    /// <summary>Host name; empty (the default) means no SMTP: .eml files in the outbox folder.</summary>
    public string? Host { get; init; }

    public int Port { get; init; } = 587;
    public string? UserName { get; init; }
    public string? Password { get; init; }

    /// <summary>Upgrade the connection with STARTTLS (required when the server offers it and this is true).</summary>
    public bool UseStartTls { get; init; } = true;

    /// <summary>The sender, e.g. <c>"Busan Expo 사무국 &lt;expo@example.kr&gt;"</c>; also the ORGANIZER of calendar entries.</summary>
    public string From { get; init; } = "Matchmaker <matchmaker@localhost>";
}
