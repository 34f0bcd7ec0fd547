using Matchmaker.Core.Messages;
using System.ComponentModel.DataAnnotations;
using System.ComponentModel;
using Dapper;
using Matchmaker.Api.Access;
using Matchmaker.Api.Events;
using Matchmaker.Api.Jobs;
using Matchmaker.Core.Access;
using Matchmaker.Core.Events;
using Matchmaker.Core.Matching;
using Matchmaker.Core.Storage;
using Matchmaker.Worker.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Matchmaker.Api.Matching;

/// <summary>Explainable match scores: weight profiles, rescoring, matches per SME and per buyer, the recommender's
/// training, and the analysts' replays and weight searches.</summary>
public static class MatchingApi
{
    public static IEndpointRouteBuilder MapMatching(this IEndpointRouteBuilder routes)
    {
        var profiles = routes.MapGroup("/api/weight-profiles").WithTags("Weight profiles").RequireAuthorization(AccessSetup.Analysts);
        profiles.MapPost("/", CreateProfile).WithName(nameof(CreateProfile))
            .Answers(StatusCodes.Status400BadRequest, "profile.name_format", "weights.unit_range", "weights.one_above_zero", "weights.notes_weight_range", "weights.certification_rule_values", "weights.cold_start_values").WithSummary("Save a weight profile (a new version when the name exists)");
        profiles.MapGet("/", ListProfiles).WithName(nameof(ListProfiles)).WithSummary("Every version of every weight profile");
        profiles.MapGet("/{id:long}", GetProfile).WithName(nameof(GetProfile))
            .Answers(StatusCodes.Status404NotFound, "profile.not_found").WithSummary("One weight profile version");

        var events = routes.MapGroup("/api/events/{eventId}").WithTags("Matching");
        var analysts = events.MapGroup("").RequireAuthorization(AccessSetup.Analysts);
        var participants = events.MapGroup("").RequireAuthorization(AccessSetup.Participants).RequireRateLimiting(RateLimits.Participants);
        analysts.MapGet("/weight-profile", GetActiveProfile).WithName(nameof(GetActiveProfile)).WithSummary("The event's active weight profile");
        analysts.MapPut("/weight-profile", ActivateProfile).WithName(nameof(ActivateProfile))
            .Answers(StatusCodes.Status400BadRequest, "profile.id_required", "profile.not_found").WithSummary("Activate a profile version; the event is rescored");
        analysts.MapPost("/rescoring", Rescore).WithName(nameof(Rescore)).WithSummary("Rescore the event now (returns the job)");
        analysts.MapGet("/scores/distribution", Distribution).WithName(nameof(Distribution))
            .Answers(StatusCodes.Status400BadRequest, "value_range")
            .Answers(StatusCodes.Status404NotFound, "scores.not_yet").WithSummary("How the event's scores spread");
        participants.MapGet("/smes/{smeId:long}/matches", SmeMatches).WithName(nameof(SmeMatches))
            .Answers(StatusCodes.Status400BadRequest, "value_range", "page_min")
            .Answers(StatusCodes.Status404NotFound, "scores.not_yet", "sme_not_in_event_id").WithSummary("Buyers for an SME, best first, with explanations");
        participants.MapGet("/buyers/{buyerId:long}/matches", BuyerMatches).WithName(nameof(BuyerMatches))
            .Answers(StatusCodes.Status400BadRequest, "value_range", "page_min")
            .Answers(StatusCodes.Status404NotFound, "scores.not_yet", "buyer_not_in_event_id").WithSummary("SMEs for a buyer, best first, with explanations");

        // The recommender learns from every event and its model scores every event: a change for all, so the administrator's.
        routes.MapPost("/api/recommender/training", Train).WithTags("Matching").WithName(nameof(Train)).WithSummary("Retrain the recommender now (returns the job; administrator)")
            .RequireAuthorization(AccessSetup.Administrators);
        routes.MapPost("/api/evaluations", Evaluate).WithTags("Analysis").WithName(nameof(Evaluate))
            .Answers(StatusCodes.Status400BadRequest, "evaluation.events_required", "profile.not_found", "evaluation.weights_name", "weights.unit_range", "weights.one_above_zero", "weights.notes_weight_range", "weights.certification_rule_values", "weights.cold_start_values", "evaluation.max_profiles", "event_not_found")
            .WithSummary("Replay past events: NDCG/precision/recall@k, coverage, Gini per profile, beside popularity, content-only and CF-only")
            .RequireAuthorization(AccessSetup.Analysts);
        routes.MapPost("/api/weight-searches", SearchWeights).WithTags("Analysis").WithName(nameof(SearchWeights))
            .Answers(StatusCodes.Status400BadRequest, "evaluation.fit_required", "evaluation.held_out_in_fit", "profile.not_found", "event_not_found", "evaluation.not_earlier")
            .WithSummary("Fit weights on earlier events and report them on a later, held-out event")
            .RequireAuthorization(AccessSetup.Analysts);
        return routes;
    }

    static async Task<Results<Created<ProfileDto>, ProblemHttpResult>> CreateProfile(NewProfile request, WeightProfileStore store, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 60 || !request.Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            return Problems.BadRequest(new Message("profile.name_format"), "name");
        var weights = request.ToWeights();
        if (weights.Validate() is [var first, ..]) return Problems.BadRequest(first.Text, first.Field);
        var saved = await store.CreateAsync(request.Name, request.Description ?? "", weights, cancellationToken);
        return TypedResults.Created($"/api/weight-profiles/{saved.Id}", ProfileDto.From(saved));
    }

    static async Task<Ok<IReadOnlyList<ProfileDto>>> ListProfiles(WeightProfileStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok<IReadOnlyList<ProfileDto>>((await store.ListAsync(cancellationToken)).Select(ProfileDto.From).ToList());

    static async Task<Results<Ok<ProfileDto>, ProblemHttpResult>> GetProfile(long id, WeightProfileStore store, CancellationToken cancellationToken) =>
        await store.FindAsync(id, cancellationToken) is { } profile
            ? TypedResults.Ok(ProfileDto.From(profile))
            : Problems.NotFound(new Message("profile.not_found", id), "id");

    static async Task<Results<Ok<ProfileDto>, ProblemHttpResult>> GetActiveProfile(string eventId, EventStore events, WeightProfileStore store,
        CancellationToken cancellationToken) =>
        await events.FindAsync(eventId, cancellationToken) is { Id: var id }
            ? TypedResults.Ok(ProfileDto.From(await store.ActiveAsync(id, cancellationToken)))
            : Problems.EventNotFound(eventId);

    static async Task<Results<Accepted<ActivationDto>, ProblemHttpResult>> ActivateProfile(string eventId, Activation request, HttpContext http,
        WeightProfileStore store, BackgroundWork background, CancellationToken cancellationToken)
    {
        if (EventScope.EventDbIdOf(http) is not { } eventDbId) return Problems.EventNotFound(eventId);
        if (request.ProfileId is not { } profileId) return Problems.BadRequest(new Message("profile.id_required"), "profileId");
        if (await store.FindAsync(profileId, cancellationToken) is not { } profile)
            return Problems.BadRequest(new Message("profile.not_found", profileId), "profileId");
        await store.ActivateAsync(eventDbId, profile.Id, cancellationToken);
        var jobId = await background.RescoreAfterChangeAsync(eventDbId, cancellationToken);
        return TypedResults.Accepted($"/api/jobs/{jobId}", new ActivationDto(eventId, ProfileDto.From(profile), jobId));
    }

    static async Task<Results<Accepted<JobStarted>, ProblemHttpResult>> Rescore(string eventId, HttpContext http, BackgroundWork background,
        CancellationToken cancellationToken)
    {
        if (EventScope.EventDbIdOf(http) is not { } eventDbId) return Problems.EventNotFound(eventId);
        var jobId = await background.RescoreAsync(eventDbId, cancellationToken);
        return JobStarted.Accepted(jobId);
    }

    static async Task<Accepted<JobStarted>> Train(BackgroundWork background, CancellationToken cancellationToken)
    {
        var jobId = await background.RetrainRecommenderAsync(cancellationToken);
        return JobStarted.Accepted(jobId);
    }

    static async Task<Results<Ok<DistributionDto>, ProblemHttpResult>> Distribution(string eventId, HttpContext http, ScoreStore scores,
        CancellationToken cancellationToken, [Description("Histogram bins over [0, 1], 1–100")] int bins = 10)
    {
        if (bins is < 1 or > 100) return Problems.BadRequest(new Message("value_range", "bins", 1, 100), "bins");
        if (EventScope.EventDbIdOf(http) is not { } eventDbId) return Problems.EventNotFound(eventId);
        var d = await scores.DistributionAsync(eventDbId, bins, cancellationToken);
        if (d is null) return Problems.NotFound(new Message("scores.not_yet", eventId), "eventId");
        return TypedResults.Ok(new DistributionDto(eventId, ProfileDto.From(d.Run.Profile), d.Run.ModelId, d.Run.ScoredAt, d.Pairs, d.Mean, d.Min, d.P10, d.P25,
            d.Median, d.P75, d.P90, d.Max, d.Histogram, d.ColdStartShare));
    }

    static Task<Results<Ok<MatchesDto>, ProblemHttpResult>> SmeMatches(string eventId, long smeId, HttpContext http, Database database, ScoreStore scores,
        CancellationToken cancellationToken, [Description("Only the best n (1–500); overrides paging")] int? top = null,
        [Description("1-based page")] int page = 1, [Description("Items per page, 1–200")] int pageSize = 20) =>
        MatchesAsync(eventId, smeId, forSme: true, http, database, scores, top, page, pageSize, cancellationToken);

    static Task<Results<Ok<MatchesDto>, ProblemHttpResult>> BuyerMatches(string eventId, long buyerId, HttpContext http, Database database, ScoreStore scores,
        CancellationToken cancellationToken, [Description("Only the best n (1–500); overrides paging")] int? top = null,
        [Description("1-based page")] int page = 1, [Description("Items per page, 1–200")] int pageSize = 20) =>
        MatchesAsync(eventId, buyerId, forSme: false, http, database, scores, top, page, pageSize, cancellationToken);

    static async Task<Results<Ok<MatchesDto>, ProblemHttpResult>> MatchesAsync(string eventId, long id, bool forSme, HttpContext http, Database database,
        ScoreStore scores, int? top, int page, int pageSize, CancellationToken cancellationToken)
    {
        if (top is < 1 or > 500) return Problems.BadRequest(new Message("value_range", "top", 1, 500), "top");
        if (page < 1) return Problems.BadRequest(new Message("page_min", "page"), "page");
        if (pageSize is < 1 or > 200) return Problems.BadRequest(new Message("value_range", "pageSize", 1, 200), "pageSize");
        if (top is { } n) (page, pageSize) = (1, n);
        if (EventScope.EventDbIdOf(http) is not { } eventDbId) return Problems.EventNotFound(eventId);
        var caller = http.Caller();
        // Staff of the event (EventScope let only them through) see every pair; a participant only its own.
        if (caller.Role is not (Role.Administrator or Role.Organiser or Role.Analyst) && !(forSme ? caller.MayActAsSme(eventDbId, id) : caller.MayActAsBuyer(eventDbId, id)))
            return Problems.NotYours(forSme ? "smeId" : "buyerId");
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            var takesPart = forSme
                ? await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM event_smes WHERE event_id = @eventDbId AND sme_id = @id", new { eventDbId, id })
                : await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM event_buyers WHERE event_id = @eventDbId AND buyer_id = @id", new { eventDbId, id });
            if (takesPart == 0)
                return forSme ? Problems.NotFound(new Message("sme_not_in_event_id", id, eventId), "smeId")
                              : Problems.NotFound(new Message("buyer_not_in_event_id", id, eventId), "buyerId");
        }
        var skip = (page - 1) * pageSize;
        var (run, total, matches) = forSme
            ? await scores.ForSmeAsync(eventDbId, id, skip, pageSize, cancellationToken)
            : await scores.ForBuyerAsync(eventDbId, id, skip, pageSize, cancellationToken);
        if (run is null) return Problems.NotFound(new Message("scores.not_yet", eventId), "eventId");
        var names = await NamesAsync(database, eventDbId, forSme ? matches.Select(m => m.BuyerId) : matches.Select(m => m.SmeId), forSme, cancellationToken);
        var items = matches.Select((m, i) =>
        {
            var counterpart = forSme ? m.BuyerId : m.SmeId;
            var (key, name) = names.GetValueOrDefault(counterpart, ("", ""));
            // An SME's key is its business registration number: staff's, not another company's (a buyer sees it on its agenda).
            return new MatchDto(skip + i + 1, counterpart, !forSme && caller.Role == Role.Buyer ? null : key, name, m.DemandId, m.DemandKey, m.DemandTitle, m.Score, m.Explanation);
        }).ToList();
        return TypedResults.Ok(new MatchesDto(eventId, forSme ? "sme" : "buyer", id, ProfileDto.From(run.Profile), run.ModelId, run.ScoredAt,
            page, pageSize, total, items, run.PairModelId));
    }

    /// <summary>Keys and names as registered for the event.</summary>
    static async Task<Dictionary<long, (string Key, string Name)>> NamesAsync(Database database, long eventDbId, IEnumerable<long> ids, bool buyers,
        CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var sql = buyers
            ? $"SELECT b.id AS Id, b.buyer_id AS Key, eb.name AS Name FROM event_buyers eb JOIN buyers b ON b.id = eb.buyer_id WHERE eb.event_id = @eventDbId AND {connection.In("b.id", "@ids")}"
            : $"SELECT s.id AS Id, s.business_number AS Key, es.name AS Name FROM event_smes es JOIN smes s ON s.id = es.sme_id WHERE es.event_id = @eventDbId AND {connection.In("s.id", "@ids")}";
        return (await connection.QueryAsync<(long Id, string Key, string Name)>(sql, new { eventDbId, ids = ids.ToArray() }))
            .ToDictionary(r => r.Id, r => (r.Key, r.Name));
    }

    /// <summary>
    /// A past event replayed for an analyst, or null when there is none by that id that the caller may see: an event not
    /// granted to the caller is refused exactly like one that does not exist.
    /// </summary>
    static async Task<EventReplay?> ReplayAsync(HttpContext http, EventIds eventIds, ReplayEvaluation replays, string eventId, ScoringWeights weights,
        CancellationToken cancellationToken) =>
        await eventIds.FindAsync(eventId, cancellationToken) is { } eventDbId && http.Caller().MaySee(eventDbId)
            ? await replays.PrepareAsync(eventId, weights, cancellationToken)
            : null;

    static async Task<Results<Ok<EvaluationDto>, ProblemHttpResult>> Evaluate(EvaluationRequest request, HttpContext http, EventIds eventIds,
        WeightProfileStore store, ReplayEvaluation replays, CancellationToken cancellationToken)
    {
        if (request.EventIds is null) return Problems.BadRequest(new Message("evaluation.events_required"), "eventIds");
        var profiles = new List<(string Name, ScoringWeights Weights)>();
        foreach (var (profileId, i) in (request.ProfileIds ?? []).Select((p, i) => (p, i)))
        {
            if (await store.FindAsync(profileId, cancellationToken) is not { } profile)
                return Problems.BadRequest(new Message("profile.not_found", profileId), $"profileIds[{i}]");
            profiles.Add(($"{profile.Name} v{profile.Version}", profile.Weights));
        }
        // Weights tried out without saving them (the analyst's sliders): evaluated under their name, marked unsaved.
        foreach (var (draft, i) in (request.Weights ?? []).Select((w, i) => (w, i)))
        {
            if (string.IsNullOrWhiteSpace(draft.Name) || draft.Name.Length > 60)
                return Problems.BadRequest(new Message("evaluation.weights_name"), $"weights[{i}].name");
            var weights = draft.ToWeights();
            if (weights.Validate() is [var first, ..]) return Problems.BadRequest(first.Text, $"weights[{i}].{first.Field}");
            profiles.Add(($"{draft.Name} (unsaved)", weights));
        }
        if (profiles.Count == 0) profiles.Add((WeightProfileStore.DefaultName, ScoringWeights.Default));
        if (profiles.Count > 5) return Problems.BadRequest(new Message("evaluation.max_profiles"), "profileIds");
        var results = new List<RankingResult>();
        foreach (var (eventId, i) in request.EventIds.Select((e, i) => (e, i)))
        {
            var replay = await ReplayAsync(http, eventIds, replays, eventId, profiles[0].Weights, cancellationToken);
            if (replay is null) return Problems.BadRequest(new Message("event_not_found", eventId), $"eventIds[{i}]");
            results.AddRange(ReplayEvaluation.Compare(replay, profiles, request.K));
        }
        return TypedResults.Ok(new EvaluationDto(request.K, results));
    }

    static async Task<Results<Ok<WeightSearchDto>, ProblemHttpResult>> SearchWeights(WeightSearchRequest request, HttpContext http, EventIds eventIds,
        WeightProfileStore store, ReplayEvaluation replays, CancellationToken cancellationToken)
    {
        if (request.FitEventIds is null || string.IsNullOrWhiteSpace(request.HeldOutEventId))
            return Problems.BadRequest(new Message("evaluation.fit_required"), request.FitEventIds is null ? "fitEventIds" : "heldOutEventId");
        if (request.FitEventIds.Contains(request.HeldOutEventId))
            return Problems.BadRequest(new Message("evaluation.held_out_in_fit"), "heldOutEventId");
        var baseWeights = ScoringWeights.Default;
        if (request.BaseProfileId is { } baseId)
        {
            if (await store.FindAsync(baseId, cancellationToken) is not { } profile) return Problems.BadRequest(new Message("profile.not_found", baseId), "baseProfileId");
            baseWeights = profile.Weights;
        }
        var heldOut = await ReplayAsync(http, eventIds, replays, request.HeldOutEventId, baseWeights, cancellationToken);
        if (heldOut is null) return Problems.BadRequest(new Message("event_not_found", request.HeldOutEventId), "heldOutEventId");
        var fit = new List<EventReplay>();
        foreach (var (eventId, i) in request.FitEventIds.Select((e, i) => (e, i)))
        {
            var replay = await ReplayAsync(http, eventIds, replays, eventId, baseWeights, cancellationToken);
            if (replay is null) return Problems.BadRequest(new Message("event_not_found", eventId), $"fitEventIds[{i}]");
            if (!heldOut.EarlierEvents.Contains(eventId))
                return Problems.BadRequest(new Message("evaluation.not_earlier", eventId, request.HeldOutEventId), $"fitEventIds[{i}]");
            fit.Add(replay);
        }
        var report = ReplayEvaluation.Search(fit, heldOut, baseWeights, request.K, request.Candidates, request.Seed);
        ProfileDto? saved = null;
        if (!string.IsNullOrWhiteSpace(request.SaveAs))
            saved = ProfileDto.From(await store.CreateAsync(request.SaveAs,
                $"fitted on {string.Join('+', report.FitEvents)}, held-out {report.HeldOutEvent}, NDCG@{request.K} objective {report.FitObjective:0.0000}",
                report.Fitted, cancellationToken));
        return TypedResults.Ok(new WeightSearchDto(report.FitEvents, report.HeldOutEvent, request.K, report.Candidates, report.Seed,
            WeightsDto.From(report.Fitted), report.FitObjective, report.BaseFitObjective, report.HeldOut, saved));
    }
}

/// <summary>Component weights (0–1 each, relative) and rules; omitted fields take the documented defaults.</summary>
public sealed record WeightsDto(double? Text = null, double? Industry = null, double? Certification = null, double? Region = null, double? Size = null,
    double? Export = null, double? Relationship = null, double? Collaborative = null)
{
    public static WeightsDto From(ScoringWeights w) => new(w.Text, w.Industry, w.Certification, w.Region, w.Size, w.Export, w.Relationship, w.Collaborative);
}

public sealed record ClosenessDto(double? Subclass = null, double? Class = null, double? Group = null, double? Division = null, double? Section = null);

/// <param name="ColdStart">What scores cold pairs: <c>weights</c> (default) or <c>learned</c> (the learned pair model).</param>
public sealed record NewProfile(string Name, string? Description = null, WeightsDto? Weights = null, CertificationRule? CertificationRule = null,
    ClosenessDto? Closeness = null, double? KsicNotesWeight = null, ColdStartScorer? ColdStart = null)
{
    public ScoringWeights ToWeights()
    {
        var d = ScoringWeights.Default;
        var w = Weights ?? new WeightsDto();
        var c = Closeness ?? new ClosenessDto();
        return new ScoringWeights
        {
            Text = w.Text ?? d.Text, Industry = w.Industry ?? d.Industry, Certification = w.Certification ?? d.Certification, Region = w.Region ?? d.Region,
            Size = w.Size ?? d.Size, Export = w.Export ?? d.Export, Relationship = w.Relationship ?? d.Relationship,
            Collaborative = w.Collaborative ?? d.Collaborative, CertificationRule = CertificationRule ?? d.CertificationRule,
            Closeness = new IndustryCloseness
            {
                Subclass = c.Subclass ?? d.Closeness.Subclass, Class = c.Class ?? d.Closeness.Class, Group = c.Group ?? d.Closeness.Group,
                Division = c.Division ?? d.Closeness.Division, Section = c.Section ?? d.Closeness.Section,
            },
            KsicNotesWeight = KsicNotesWeight ?? d.KsicNotesWeight,
            ColdStart = ColdStart ?? d.ColdStart,
        };
    }
}

public sealed record ProfileDto(long Id, string Name, int Version, string Description, WeightsDto Weights, CertificationRule CertificationRule,
    ClosenessDto Closeness, double KsicNotesWeight, DateTimeOffset CreatedAt, ColdStartScorer ColdStart)
{
    public static ProfileDto From(WeightProfile p) => new(p.Id, p.Name, p.Version, p.Description, WeightsDto.From(p.Weights), p.Weights.CertificationRule,
        new ClosenessDto(p.Weights.Closeness.Subclass, p.Weights.Closeness.Class, p.Weights.Closeness.Group, p.Weights.Closeness.Division, p.Weights.Closeness.Section),
        p.Weights.KsicNotesWeight, p.CreatedAt, p.Weights.ColdStart);
}

public sealed record Activation(long? ProfileId);
public sealed record ActivationDto(string EventId, ProfileDto Profile, string JobId);
public sealed record DistributionDto(string EventId, ProfileDto Profile, long? ModelId, DateTimeOffset ScoredAt, int Pairs, double Mean, double Min, double P10,
    double P25, double Median, double P75, double P90, double Max, IReadOnlyList<int> Histogram, double ColdStartShare);
/// <summary>One counterpart: rank, ids (the store's integer id and the organiser's key), the demand that matched best, score, explanation.</summary>
/// <param name="Key">The buyer's code, or the SME's business registration number (not shown to buyers).</param>
public sealed record MatchDto(int Rank, long Id, string? Key, string Name, long? DemandId, string? DemandKey, string? DemandTitle, double Score,
    MatchExplanation Explanation);
/// <param name="PairModelId">The learned pair model that scored the cold pairs (null: none did; each item's explanation names its model).</param>
public sealed record MatchesDto(string EventId, string For, long Id, ProfileDto Profile, long? ModelId, DateTimeOffset ScoredAt, int Page, int PageSize,
    int Total, IReadOnlyList<MatchDto> Items, long? PairModelId = null);
/// <param name="ProfileIds">Saved profiles to replay.</param>
/// <param name="Weights">Weights to try without saving them (shown as "name (unsaved)").</param>
public sealed record EvaluationRequest(
    [property: Required(ErrorMessage = "evaluation.events_required"), Length(1, 10, ErrorMessage = "evaluation.events_required")] IReadOnlyList<string>? EventIds,
    IReadOnlyList<long>? ProfileIds = null,
    [property: Range(1, 100, ErrorMessage = "evaluation.k_range")] int K = 10,
    IReadOnlyList<NewProfile>? Weights = null);
public sealed record EvaluationDto(int K, IReadOnlyList<RankingResult> Results);
public sealed record WeightSearchRequest(
    [property: Required(ErrorMessage = "evaluation.fit_events_required"), Length(1, 10, ErrorMessage = "evaluation.fit_events_required")] IReadOnlyList<string>? FitEventIds,
    [property: Required(AllowEmptyStrings = false, ErrorMessage = "evaluation.held_out_required")] string? HeldOutEventId,
    long? BaseProfileId = null,
    [property: Range(1, 100, ErrorMessage = "evaluation.k_range")] int K = 10,
    [property: Range(1, 2000, ErrorMessage = "evaluation.candidates_range")] int Candidates = 200,
    ulong Seed = 1, string? SaveAs = null);
public sealed record WeightSearchDto(IReadOnlyList<string> FitEvents, string HeldOutEvent, int K, int Candidates, ulong Seed, WeightsDto Fitted,
    double FitObjective, double BaseFitObjective, IReadOnlyList<RankingResult> HeldOut, ProfileDto? SavedProfile);
