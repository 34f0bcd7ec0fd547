using Matchmaker.Core.Access;
using Matchmaker.Core.Calendars;
using Matchmaker.Core.Events;
using Matchmaker.Core.Import;
using Matchmaker.Core.Jobs;
using Matchmaker.Core.Matching;
using Matchmaker.Core.Meetings;
using Matchmaker.Core.Notifications;
using Matchmaker.Core.Profiles;
using Matchmaker.Core.Requests;
using Matchmaker.Core.Samples;
using Matchmaker.Core.Storage;
using Matchmaker.Core.Timetables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Polly.Registry;

namespace Matchmaker.Hosting;

/// <summary>
/// Registers the store, the clock and Core's services with their options: the one registration shared by the API, the
/// worker and the tools. Each options record is bound once from its section and validated when the host starts, so a
/// bad setting stops the process at once, naming the setting, instead of failing the first request that needs it.
/// </summary>
public static class CoreServices
{
    public const string StoreSection = "Matchmaker:Store";
    public const string SchedulingSection = "Matchmaker:Scheduling";
    public const string RecommenderSection = "Matchmaker:Recommender";
    public const string SamplesSection = "Matchmaker:Samples";
    public const string NotificationsSection = "Matchmaker:Notifications";
    public const string CalendarSection = "Matchmaker:Calendar";

    /// <summary>Core's services; <see cref="IConfiguration"/> must be registered (hosts do that; tools add it).</summary>
    public static IServiceCollection AddMatchmakerCore(this IServiceCollection services)
    {
        services.AddBoundOptions<StoreOptions>(StoreSection, o =>
        {
            if (string.IsNullOrWhiteSpace(o.DataFolder)) throw new ArgumentException("must name a folder", nameof(o.DataFolder));
            if (string.IsNullOrWhiteSpace(o.DatabaseFile)) throw new ArgumentException("must name a file", nameof(o.DatabaseFile));
            o.Validate();
        });
        services.AddBoundOptions<TimetableOptions>(SchedulingSection, o =>
        {
            if (!(o.TimeLimitSeconds > 0)) throw new ArgumentOutOfRangeException(nameof(o.TimeLimitSeconds), "must be positive");
            if (!(o.MovePenalty >= 0)) throw new ArgumentOutOfRangeException(nameof(o.MovePenalty), "must not be negative");
        });
        services.AddBoundOptions<RecommenderTrainingOptions>(RecommenderSection, o =>
        {
            Within(nameof(o.Als), () => o.Als.Validate());
            Within(nameof(o.Signals), () => o.Signals.Validate());
            Within(nameof(o.PairModel), () => o.PairModel.Validate());
            _ = TimeZoneInfo.FindSystemTimeZoneById(o.TimeZone);
        });
        services.AddBoundOptions<SampleOptions>(SamplesSection, _ => { });
        services.AddBoundOptions<NotificationOptions>(NotificationsSection, o => o.Validate());
        services.AddBoundOptions<CalendarOptions>(CalendarSection, o =>
        {
            if (!EmailAddress.IsValid(o.OrganizerEmail)) throw new ArgumentException($"'{o.OrganizerEmail}' is not an e-mail address", nameof(o.OrganizerEmail));
        });

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<Database>();
        services.AddHostedService<ChangeListener>();
        services.AddSingleton(sp => TransientFaults.CreateRegistry(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<StoreOptions>().WriteTimeoutSeconds));
        services.AddSingleton<ResiliencePipelineProvider<string>>(sp => sp.GetRequiredService<ResiliencePipelineRegistry<string>>());
        services.AddSingleton<EventStore>();
        services.AddSingleton<EventIds>();
        services.AddSingleton<JobStore>();
        services.AddSingleton<ParticipantWriter>();
        services.AddSingleton<ParticipantImporter>();
        services.AddSingleton<SampleExpoLoader>();
        services.AddSingleton<TimetableService>();
        services.AddSingleton<RequestService>();
        services.AddSingleton<MeetingService>();
        services.AddSingleton<WeightProfileStore>();
        services.AddSingleton<ScoreStore>();
        services.AddSingleton<RescoringService>();
        services.AddSingleton<RecommenderTraining>();
        services.AddSingleton<ReplayEvaluation>();
        // The worker mints the sign-in links of the mails it builds; the API (which registers the same AccessTokens)
        // exchanges them at /login.
        services.TryAddSingleton<AccessTokens>();
        services.AddSingleton<MailLinks>();
        services.AddSingleton<NotificationDelivery>();
        services.AddSingleton<NotificationLog>();
        services.AddSingleton<NotificationSweep>();
        services.AddSingleton<Matchmaker.Core.Profiles.EventProfiles>();
        return services;
    }

    /// <summary>Runs a nested record's own check, naming the nested setting (<c>Als:Factors</c>) when it fails.</summary>
    static void Within(string nested, Action check)
    {
        try { check(); }
        catch (ArgumentException e) when (e.ParamName is { } p)
        {
            throw new ArgumentException(e.Message.Split(" (Parameter")[0], $"{nested}:{p}", e);
        }
    }

    /// <summary>
    /// Binds <typeparamref name="T"/> from <paramref name="section"/>, checks it with <paramref name="check"/> (which
    /// throws <see cref="ArgumentException"/> for a bad value, as Core's own Validate methods do) when the host starts,
    /// and registers the bound record itself for the Core services that take it.
    /// </summary>
    public static OptionsBuilder<T> AddBoundOptions<T>(this IServiceCollection services, string section, Action<T> check) where T : class
    {
        var builder = services.AddOptions<T>().BindConfiguration(section).Validate(section, check).ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<T>>().Value);
        return builder;
    }

    /// <summary>Adds a check that throws <see cref="ArgumentException"/> for a bad value; the failure names the setting.</summary>
    public static OptionsBuilder<T> Validate<T>(this OptionsBuilder<T> builder, string section, Action<T> check) where T : class
    {
        builder.Services.AddSingleton<IValidateOptions<T>>(new CheckedOptions<T>(builder.Name, section, check));
        return builder;
    }

    sealed class CheckedOptions<T>(string? name, string section, Action<T> check) : IValidateOptions<T> where T : class
    {
        public ValidateOptionsResult Validate(string? optionsName, T options)
        {
            if (name is not null && name != optionsName) return ValidateOptionsResult.Skip;
            try
            {
                check(options);
                return ValidateOptionsResult.Success;
            }
            catch (Exception e) when (e is ArgumentException or FormatException or TimeZoneNotFoundException)
            {
                var field = e is ArgumentException { ParamName: { } p } ? $"{section}:{p}" : section;
                var message = e is ArgumentException a ? a.Message.Split(" (Parameter")[0] : e.Message;
                return ValidateOptionsResult.Fail($"{field}: {message}");
            }
        }
    }
}
