using System.Text.Json.Nodes;
using Matchmaker.Api.Access;
using Matchmaker.Api.Events;
using Matchmaker.Api.Meetings;
using Matchmaker.Api.Requests;
using Matchmaker.Api.Timetable;
using Microsoft.AspNetCore.OpenApi;

namespace Matchmaker.Api;

/// <summary>Worked examples in the OpenAPI document for the request bodies people write by hand.</summary>
public static class OpenApiExamples
{
    static readonly Dictionary<Type, string> Examples = new()
    {
        [typeof(EventDefinition)] = """
            {"eventId":"daegu-2026","name":"2026 대구 의료기기 구매상담회","venue":"EXCO","slotMinutes":30,"changeoverMinutes":5,
             "days":[{"date":"2026-09-08","windows":[{"start":"10:00","end":"12:00"},{"start":"13:00","end":"17:00"}],"breaks":[{"start":"15:00","end":"15:15"}]}],
             "halls":["A","B"],"travelMinutes":{"A":{"A":0,"B":5},"B":{"A":5,"B":0}},"minMeetingsPerSme":2,"maxOpenRequestsPerSme":5}
            """,
        [typeof(NewRequest)] = """{"buyerId":12,"priority":1,"pitch":"원전 밸브용 정밀 주조 부품을 국산화해 납품한 경험이 있습니다."}""",
        [typeof(AcceptDecision)] = """{"slot":"D2-03"}""",
        [typeof(DeclineDecision)] = """{"reason":"올해 구매 계획과 맞지 않습니다"}""",
        [typeof(OutcomeRequest)] = """{"status":"held","rating":5,"followUp":"contract","contractKrw":150000000}""",
        [typeof(RepairRequest)] = """{"changes":[{"kind":"no_show","smeId":41,"slot":"D1-03"},{"kind":"cancel","buyerId":7,"slots":["D1-08","D1-09"]}],"movePenalty":1.0}""",
        [typeof(LockRequest)] = """{"locked":true,"slot":"D1-04","table":2}""",
        [typeof(IssueTokenRequest)] = """{"role":"sme","smeId":41,"label":"㈜부산정밀 영업팀"}""",
        [typeof(RequestWindow)] = """{"open":true}""",
    };

    public static OpenApiOptions AddRequestExamples(this OpenApiOptions options)
    {
        options.AddSchemaTransformer((schema, context, _) =>
        {
            if (Examples.TryGetValue(context.JsonTypeInfo.Type, out var example)) schema.Examples = [JsonNode.Parse(example)!];
            return Task.CompletedTask;
        });
        return options;
    }
}
