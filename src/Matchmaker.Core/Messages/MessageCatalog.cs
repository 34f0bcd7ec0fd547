using Matchmaker.Core.Messages;
using System.Globalization;

namespace Matchmaker.Core.Messages;

/// <summary>The languages a person reads our messages in.</summary>
public enum MessageLanguage { Ko, En }

/// <summary>One message in both languages; {0}, {1} … are its arguments.</summary>
public sealed record MessageText(string Ko, string En)
{
    public string In(MessageLanguage language) => language == MessageLanguage.Ko ? Ko : En;
}

/// <summary>
/// Every sentence a person reads, by a stable code, Korean and English side by side. Clients act on the code (it never
/// changes once published); the text follows the reader's language. A test walks every code and checks both texts.
/// </summary>
public static class MessageCatalog
{
    static readonly CultureInfo KoreanCulture = CultureInfo.GetCultureInfo("ko-KR");

    public static IReadOnlyDictionary<string, MessageText> Entries { get; } = new Dictionary<string, MessageText>
    {
        // Problem titles, by status.
        ["bad_request"] = new("잘못된 요청입니다", "Bad request"),
        ["not_found"] = new("찾을 수 없습니다", "Not found"),
        ["conflict"] = new("현재 상태와 맞지 않는 요청입니다", "Conflict"),
        ["precondition_failed"] = new("다른 사용자가 먼저 변경했습니다", "Precondition failed"),
        ["unprocessable"] = new("처리할 수 없는 요청입니다", "Unprocessable request"),
        ["too_many_requests"] = new("요청이 너무 많습니다", "Too many requests"),
        ["too_large"] = new("요청이 너무 큽니다", "Content too large"),
        ["validation_failed"] = new("입력값을 확인해 주세요.", "One or more validation errors occurred."),
        ["unauthorized"] = new("로그인이 필요합니다", "Unauthorized"),
        ["forbidden"] = new("권한이 없습니다", "Forbidden"),
        ["unsupported_media_type"] = new("지원하지 않는 형식입니다", "Unsupported Media Type"),
        ["server_error"] = new("서버 오류가 발생했습니다", "An error occurred while processing your request."),

        // Problem details.
        ["event_not_found"] = new("행사 '{0}'이(가) 없습니다.", "There is no event '{0}'."),
        ["not_yours"] = new("내 것이 아닙니다. 볼 수 있는 항목이 없습니다.", "There is nothing of yours here."),
        ["job_not_found"] = new("작업 '{0}'이(가) 없습니다.", "There is no job '{0}'."),
        ["lang_unknown"] = new("lang은 ko 또는 en이어야 합니다.", "lang must be ko or en."),
        ["meeting_not_found"] = new("내 상담 {0}번이 없습니다", "there is no meeting {0} for you"),
        ["slot_unknown"] = new("행사에 '{0}' 상담 시간이 없습니다", "the event has no slot '{0}'"),
        ["sme_not_in_event"] = new("이 행사의 중소기업이 아닙니다", "not an SME of this event"),
        ["buyer_not_in_event"] = new("이 행사의 구매기업이 아닙니다", "not a buyer of this event"),
        ["demand_not_in_event"] = new("이 행사의 구매 수요가 아닙니다", "not a demand of this event"),
        ["participant_not_in_event"] = new("이 행사의 참가자가 아닙니다", "not a participant of this event"),
        ["request_not_found"] = new("내 상담 신청 {0}번이 없습니다", "there is no request {0} for you"),
        ["meeting.rating_required"] = new("진행된 상담에는 1–5점 평가가 필요합니다", "a held meeting needs a rating 1–5"),
        ["meeting.no_show_has_no_outcome"] = new("불참한 상담에는 평가, 후속 조치, 계약을 적을 수 없습니다", "a no-show has no rating, follow-up or contract"),
        ["meeting.status_values"] = new("상태는 held(진행) 또는 no_show(불참)입니다", "status is held or no_show"),
        ["meeting.not_published"] = new("시간표가 공개된 뒤에만 상담 시간을 예약할 수 있습니다", "a slot can be booked only once the timetable is published"),
        ["meeting.tables_full"] = new("{0} 시간에는 빈 테이블이 없습니다", "every table is taken in {0}"),
        ["meeting.slot_taken"] = new("{0} 시간에 중소기업이 이미 다른 상담이 있거나, 이미 만나기로 되어 있습니다", "the SME already meets someone in {0}, or you already meet"),
        ["request.priority_range"] = new("우선순위는 1(가장 희망)부터 3까지입니다", "priority is 1 (most wanted) to 3"),
        ["request.pitch_too_long"] = new("소개 글은 최대 {0}자입니다", "a pitch has at most {0} characters"),
        ["request.name_buyer"] = new("구매기업이나 그 구매 수요를 지정해 주세요", "name the buyer or one of its demands"),
        ["request.window_closed"] = new("주최자가 이 행사의 상담 신청을 아직 열지 않았습니다", "the organiser has not opened introduction requests for this event"),
        ["request.demand_of_other_buyer"] = new("다른 구매기업의 구매 수요입니다", "the demand belongs to another buyer"),
        ["request.already_open"] = new("이 구매기업에 이미 답을 기다리는 신청이 있습니다", "you already have an open request to this buyer"),
        ["request.too_many_open"] = new("답을 기다리는 신청은 한 번에 최대 {0}건입니다. 먼저 하나를 철회해 주세요",
            "at most {0} requests may wait for an answer at once; withdraw one first"),
        ["timetable.none"] = new("이 행사에는 아직 시간표가 없습니다", "the event has no timetable yet"),
        ["timetable.version_not_found"] = new("시간표 {0}판이 없습니다", "there is no version {0}"),
        ["timetable.meeting_not_in_latest"] = new("상담 {0}번은 최신 시간표({1}판)에 없습니다", "meeting {0} is not in the latest version ({1})"),
        ["timetable.nothing_to_repair"] = new("조정할 공개 시간표가 없습니다", "there is no published timetable to repair"),
        ["timetable.stale"] = new("읽으신 뒤에 시간표 {0}판이 바뀌었습니다 (현재 수정 {1}, 읽으신 수정 {2}). 새로 고친 뒤 다시 해 주세요",
            "version {0} changed since you read it (revision {1}, you had {2})"),
        ["repair.name_who_cancels"] = new("취소하는 중소기업이나 구매기업을 지정해 주세요", "name the SME or the buyer that cancels"),
        ["repair.name_who_did_not_come"] = new("오지 않은 중소기업이나 구매기업을 지정해 주세요", "name the SME or the buyer that did not come"),
        ["repair.walk_in_has_meetings"] = new("이 중소기업은 이미 공개 시간표에 상담이 있습니다", "this SME already has meetings in the published timetable"),
        ["reason.sme_cancelled"] = new("중소기업 취소", "SME cancelled"),
        ["reason.buyer_cancelled"] = new("구매기업 취소", "buyer cancelled"),
        ["reason.sme_no_show"] = new("중소기업 불참", "SME no-show"),
        ["reason.buyer_no_show"] = new("구매기업 불참", "buyer no-show"),
        ["reason.table_removed"] = new("테이블 없어짐", "table removed"),
        ["reason.table_renumbered"] = new("테이블 번호 바뀜", "table renumbered"),
        ["refused"] = new("요청을 처리할 수 없습니다: {0}", "{0}"),

        // Import: the file as a whole and its header.
        ["import.file_unreadable"] = new("파일을 읽을 수 없습니다 ({0})", "{0}"),
        ["import.too_many_rows"] = new("데이터 행이 {0}개입니다. 최대 {1}개까지 가져올 수 있습니다", "the file has {0} data rows; at most {1} are allowed"),
        ["import.stopped"] = new("오류 {0}건에서 검사를 멈췄습니다. 이 행부터는 검사하지 않았습니다", "stopped after {0} errors; rows from here on were not checked"),
        ["import.column_without_header"] = new("{0}번째 열에 제목이 없어 값을 무시합니다", "column {0} has no header; its values are ignored"),
        ["import.unknown_column"] = new("알 수 없는 열 '{0}'은(는) 무시합니다", "unknown column '{0}' is ignored"),
        ["import.column_twice"] = new("{0} 열이 두 번 있습니다: {2}번째 열 '{1}', {4}번째 열 '{3}'",
            "column {0} appears twice: '{1}' in column {2} and '{3}' in column {4}"),
        ["import.column_missing"] = new("필수 열 {0}이(가) 없습니다", "required column {0} is missing"),
        ["import.column_missing_other_kind"] = new("필수 열 {0}이(가) 없습니다. {1} 파일로 보입니다({2} 파일이 아님)",
            "required column {0} is missing; this looks like a {1} file, not {2}"),
        ["import.row_too_wide"] = new("이 행에는 제목이 있는 {1}개 열 밖에 값이 {0}개 더 있습니다 (따옴표 없는 값 안에 쉼표가 있나요?)",
            "the row has {0} values beyond the {1} header columns (a comma inside a value that is not in quotes?)"),
        ["import.row_too_wide_one"] = new("이 행에는 제목이 있는 {1}개 열 밖에 값이 {0}개 더 있습니다 (따옴표 없는 값 안에 쉼표가 있나요?)",
            "the row has {0} value beyond the {1} header columns (a comma inside a value that is not in quotes?)"),

        // Import: one cell ({0} is the column as the file names it).
        ["import.required"] = new("{0}은(는) 필수 항목입니다", "{0} is required"),
        ["import.ksic_required"] = new("{0}은(는) 필수 항목입니다: KSIC-11 코드를 하나 이상 적어 주세요 (예: 29229)",
            "{0} is required: give at least one KSIC-11 code (e.g. 29229)"),
        ["import.too_long"] = new("{0}이(가) {1}자입니다. 최대 {2}자까지 쓸 수 있습니다", "{0} is {1} characters long; at most {2} are allowed"),
        ["import.bad_id"] = new("{0} '{1}'은(는) 영문자, 숫자, '_', '-'로 된 1–40자여야 합니다",
            "{0} '{1}' must be 1–40 characters of A–Z, a–z, 0–9, '_' or '-'"),
        ["import.not_whole_number"] = new("{0} '{1}'은(는) 정수가 아닙니다. {2}–{3} 사이의 숫자를 적어 주세요",
            "{0} '{1}' is not a whole number; expected {2}–{3}"),
        ["import.out_of_range"] = new("{0} {1}은(는) 허용 범위를 벗어났습니다. {2}–{3} 사이의 숫자를 적어 주세요",
            "{0} {1} is out of range; expected {2}–{3}"),
        ["import.too_many_entries"] = new("{0}에 항목이 {1}개입니다. 최대 {2}개까지 쓸 수 있습니다", "{0} has {1} entries; at most {2} are allowed"),
        ["import.entry_too_long"] = new("{0}의 항목 '{1}'이(가) {2}자보다 깁니다", "{0} entry '{1}' is longer than {2} characters"),
        ["import.unknown_ksic"] = new("알 수 없는 KSIC-11 코드입니다: {1}", "unknown KSIC-11 code {1}"),
        ["import.unknown_ksic_many"] = new("알 수 없는 KSIC-11 코드입니다: {1}", "unknown KSIC-11 codes {1}"),
        ["import.unknown_ksic_leading_zero"] = new("알 수 없는 KSIC-11 코드입니다: {1} (엑셀이 앞자리 0을 지웠나요? '0{2}'은(는) KSIC-11 코드입니다. 열 서식을 텍스트로 바꿔 주세요)",
            "unknown KSIC-11 code {1} (did Excel drop a leading zero? '0{2}' is a KSIC-11 code; format the column as text)"),
        ["import.unknown_ksic_leading_zero_many"] = new("알 수 없는 KSIC-11 코드입니다: {1} (엑셀이 앞자리 0을 지웠나요? '0{2}'은(는) KSIC-11 코드입니다. 열 서식을 텍스트로 바꿔 주세요)",
            "unknown KSIC-11 codes {1} (did Excel drop a leading zero? '0{2}' is a KSIC-11 code; format the column as text)"),
        ["import.too_many_codes"] = new("{0}에 코드가 {1}개입니다. 최대 {2}개까지 쓸 수 있습니다", "{0} has {1} codes; at most {2} are allowed"),
        ["import.business_number_empty"] = new("{0}이(가) 비어 있습니다", "business number is empty"),
        ["import.business_number_digits"] = new("{0}은(는) 숫자 10자리여야 합니다: {1}", "business number '{1}' must have exactly 10 digits"),
        ["import.business_number_check_digit"] = new("{0} 검증번호가 맞지 않습니다: {1}", "business number '{1}' fails its check digit"),
        ["import.bad_email"] = new("{0} '{1}'은(는) 이메일 주소가 아닙니다 (예: name@example.com)",
            "{0} '{1}' is not an email address (expected name@example.com)"),
        ["import.bad_choice"] = new("{0} '{1}'은(는) 다음 중 하나여야 합니다: {2}", "{0} '{1}' is not one of {2}"),
        ["import.bad_flag"] = new("{0} '{1}'은(는) Y 또는 N이어야 합니다 (있음/없음, true/false도 됩니다)",
            "{0} '{1}' must be Y or N (also 있음/없음, true/false)"),
        ["import.malformed_slots"] = new("{0}의 시간 코드 {1}의 형식이 잘못되었습니다 (예: D1-03)",
            "{0} has malformed slot codes {1} (expected codes such as D1-03)"),
        ["import.unknown_slots"] = new("{0}의 시간 코드 {1}은(는) 이 행사의 상담 시간이 아닙니다",
            "{0} has slot codes that are not slots of this event: {1}"),
        ["import.retired_phone_column"] = new("'{0}' 열은 더 이상 읽지 않아 무시합니다. 휴대전화 번호는 휴대전화 열에 적어 주세요",
            "column '{0}' is no longer read and is ignored; give mobile numbers in the mobile (휴대전화) column"),
        ["import.bad_mobile"] = new("{0} '{1}'은(는) 휴대전화 번호가 아닙니다", "{0} '{1}' is not a mobile number"),
        // The English text is the number parser's own sentence ({2}); Korean says the same without its detail.
        ["import.bad_mobile_detail"] = new("{0} '{1}'은(는) 휴대전화 번호가 아닙니다 (예: 010-1234-5678)", "{2}"),
        ["import.repeated_key"] = new("{0} '{1}'이(가) 중복됩니다. {2}행에 이미 있습니다", "{0} '{1}' is repeated; row {2} has it already"),
        ["import.unknown_buyer"] = new("{0} '{1}'은(는) 이 행사의 구매기업이 아닙니다. 구매기업을 먼저 가져오세요",
            "{0} '{1}' is not a buyer of this event; import the buyers first"),

        // Import job messages.
        ["job.import_done.buyers"] = new("구매기업 {0}곳을 가져왔습니다: 신규 {1}곳, 변경 {2}곳, 변경 없음 {3}곳",
            "imported {0} buyers: {1} new, {2} changed, {3} unchanged"),
        ["job.import_done.demands"] = new("구매 수요 {0}건을 가져왔습니다: 신규 {1}건, 변경 {2}건, 변경 없음 {3}건",
            "imported {0} demands: {1} new, {2} changed, {3} unchanged"),
        ["job.import_done.smes"] = new("중소기업 {0}곳을 가져왔습니다: 신규 {1}곳, 변경 {2}곳, 변경 없음 {3}곳",
            "imported {0} smes: {1} new, {2} changed, {3} unchanged"),
        ["job.import_failed"] = new("아무것도 가져오지 않았습니다: 파일에 문제 {0}건", "nothing imported: {0} problems in the file"),
        ["job.import_reading"] = new("파일을 읽고 검사하는 중입니다", "reading and validating the file"),
        ["job.file_missing"] = new("작업 파일이 없습니다", "the job's file is missing"),
        ["job.failed_unexpectedly"] = new("작업이 예기치 않은 오류로 중단되었습니다. 다시 시작해 주세요", "the job stopped on an unexpected error; start it again"),
        ["job.queued"] = new("대기 중", "queued"),
        ["job.timetable_reading"] = new("참가자, 가능 시간, 점수, 고정 상담을 읽는 중입니다", "reading participants, availability, scores and locks"),
        ["job.timetable_done"] = new("초안 {0}판: 상담 {1}건, 최적해와의 차이 {2}", "draft version {0}: {1} meetings, gap {2}"),
        ["job.timetable_done_no_gap"] = new("초안 {0}판: 상담 {1}건, 최적해와의 차이 알 수 없음", "draft version {0}: {1} meetings, gap unknown"),
        ["job.timetable_reread"] = new("계산 중에 시간표가 바뀌어 다시 읽는 중입니다", "the timetable changed while solving: reading it again"),
        ["job.scoring"] = new("중소기업 {0}곳 × 수요 {1}건의 점수를 계산하는 중입니다", "scoring {0} SMEs × {1} demands"),
        ["job.writing_scores"] = new("점수 {0}건을 저장하는 중입니다", "writing {0} scores"),
        ["job.scored"] = new("매칭 프로필 {1} v{2}(으)로 중소기업 × 구매기업 {0}쌍의 점수를 계산했습니다", "scored {0} SME × buyer pairs with profile {1} v{2}"),
        ["job.event_gone"] = new("작업의 행사가 더 이상 없습니다", "the job's event no longer exists"),
        ["job.rescoring_failed"] = new("점수 재계산에 실패했습니다: {0}", "rescoring failed: {0}"),
        ["job.training_reading"] = new("모든 행사의 상호작용을 읽는 중입니다", "reading the interactions of all events"),
        ["job.training"] = new("지난 상담 결과로 쌍 모델을 학습하는 중입니다", "training the learned pair model from past outcomes"),
        ["job.training_saving"] = new("모델을 저장하는 중입니다", "saving the models"),
        ["job.training_nothing"] = new("아직 상호작용이 없어 학습할 것이 없습니다. 점수는 내용 기반으로 유지됩니다",
            "no interactions yet: nothing to learn from, scores stay content-only"),
        ["job.trained"] = new("모델 {0}: 중소기업 {1}곳 × 구매기업 {2}곳, 상호작용 {3}건, {4}초",
            "model {0}: {1} SMEs × {2} buyers from {3} interactions in {4} s"),
        ["job.trained_with_pairs"] = new("모델 {0}: 중소기업 {1}곳 × 구매기업 {2}곳, 상호작용 {3}건, {4}초; 쌍 모델 {5}({6}) {7}쌍, {8}초",
            "model {0}: {1} SMEs × {2} buyers from {3} interactions in {4} s; learned pair model {5} ({6}) from {7} pairs in {8} s"),
    };

    /// <summary>The text of <paramref name="code"/> in <paramref name="language"/>; numbers in that language's conventions.</summary>
    public static string Text(string code, MessageLanguage language, params object?[] args)
    {
        if (!Entries.TryGetValue(code, out var entry)) throw new KeyNotFoundException($"no message '{code}' in the catalogue");
        var culture = language == MessageLanguage.Ko ? KoreanCulture : CultureInfo.InvariantCulture;
        return string.Format(culture, entry.In(language), args);
    }

    /// <summary>True when <paramref name="text"/> has Hangul, i.e. was written in Korean.</summary>
    public static bool HasHangul(string text) => text.Any(c => c is >= '\uAC00' and <= '\uD7A3' or >= '\u1100' and <= '\u11FF' or >= '\u3130' and <= '\u318F');
}

/// <summary>A message to show later in the reader's language: its code and its arguments.</summary>
public sealed record Message(string Code, params object?[] Args)
{
    public string In(MessageLanguage language) => MessageCatalog.Text(Code, language, Args);
    public override string ToString() => In(MessageLanguage.En);
}
