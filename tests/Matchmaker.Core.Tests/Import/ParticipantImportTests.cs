using Matchmaker.Core.Export;
using Matchmaker.Core.Import;
using static Matchmaker.Core.Tests.Import.ImportFiles;
using static Matchmaker.Core.Tests.Import.Samples;

namespace Matchmaker.Core.Tests.Import;

public class ParticipantImportTests
{
    static ImportResult Import(ParticipantKind kind, byte[] bytes, string fileName = "participants.csv", ImportOptions? options = null) =>
        ParticipantImport.Read(kind, Stream(bytes), fileName, options);

    static ImportResult ImportSmes(params string[][] rows) =>
        Import(ParticipantKind.Smes, Utf8(CsvText([SmeHeaderEn, .. rows])));

    static ImportResult ImportBuyers(ImportOptions? options, params string[][] rows) =>
        Import(ParticipantKind.Buyers, Utf8(CsvText([BuyerHeaderEn, .. rows])), options: options);

    static void ShouldReadSamples(ImportResult result)
    {
        result.Errors.Should().BeEmpty();
        result.Succeeded.Should().BeTrue();
        result.Smes.Should().BeEquivalentTo(ExpectedSmes, o => o.ComparingByMembers<SmeRow>().WithStrictOrdering());
    }

    static void ShouldFailWith(ImportResult result, int row, string column, string messagePart)
    {
        result.Succeeded.Should().BeFalse();
        result.RowCount.Should().Be(0, "an import is all-or-nothing");
        result.Errors.Should().ContainSingle(e => e.Row == row && e.Column == column)
            .Which.Message.Should().Contain(messagePart);
    }

    // --- the same participants in every format organisers upload ---

    [Fact]
    public void Korean_headers_in_a_CP949_csv_read_to_the_expected_rows()
    {
        var result = Import(ParticipantKind.Smes, Cp949Bytes(CsvText(SmeTable(SmeHeaderKo))));
        ShouldReadSamples(result);
        result.Format.Should().Be("csv (CP949)");
    }

    [Fact]
    public void Korean_headers_in_a_UTF8_csv_with_BOM_read_to_the_expected_rows()
    {
        var result = Import(ParticipantKind.Smes, Utf8WithBom(CsvText(SmeTable(SmeHeaderKo))));
        ShouldReadSamples(result);
        result.Format.Should().Be("csv (UTF-8 with BOM)");
    }

    [Fact]
    public void English_headers_in_a_UTF8_csv_without_BOM_read_to_the_expected_rows()
    {
        var result = Import(ParticipantKind.Smes, Utf8(CsvText(SmeTable(SmeHeaderEn), newline: "\n")));
        ShouldReadSamples(result);
        result.Format.Should().Be("csv (UTF-8)");
    }

    [Fact]
    public void An_xlsx_with_numeric_cells_reads_to_the_expected_rows()
    {
        object?[] first = [1234567891L, .. SmeValues[0][1..4], 45, .. SmeValues[0][5..11], 7, 8, .. SmeValues[0][13..]];
        object?[] second = [.. SmeValues[1][..4], 1200, .. SmeValues[1][5..]];
        var bytes = Xlsx(new XlsxSheet("중소기업", [SmeHeaderKo, first, second]));

        var result = Import(ParticipantKind.Smes, bytes, "smes.xlsx");

        ShouldReadSamples(result);
        result.Format.Should().Be("xlsx");
    }

    [Fact]
    public void Headers_match_ignoring_case_spaces_underscores_and_required_markers()
    {
        string[] header = ["Business Number", "NAME*", "KSIC-Codes", "사업자 등록번호(필수)"];
        var result = Import(ParticipantKind.Smes, Utf8(CsvText([header[..3], ["1234567891", "㈜부산정밀", "29293"]])));
        result.Errors.Should().BeEmpty();
        result.Smes.Single().BusinessNumber.Should().Be("1234567891");
        ImportColumns.Key(header[3]).Should().Be(ImportColumns.Key("사업자등록번호"));
    }

    [Fact]
    public void Cells_are_trimmed_and_control_characters_become_spaces()
    {
        var result = Import(ParticipantKind.Smes, Utf8WithBom(CsvText([SmeHeaderEn,
            Sme(("name", "  ㈜부산정밀\t"), ("description", "사출금형\v프레스\r\n금형"), ("region", " 부산 "),
                ("sector", "금형\r\n 제조"))])));
        result.Errors.Should().BeEmpty();
        var sme = result.Smes.Single();
        (sme.Name, sme.Description, sme.Region, sme.Sector).Should().Be(("㈜부산정밀", "사출금형 프레스\n금형", "부산", "금형 제조"));
    }

    [Fact]
    public void Full_width_digits_and_signs_typed_with_a_Korean_IME_are_read_as_ASCII()
    {
        var result = ImportSmes(Sme(("business_number", "１２３－４５－６７８９１"), ("meeting_cap", "１０"),
            ("email", "minsu＠busan.kr"), ("ksic_codes", "２９２９３")));
        result.Errors.Should().BeEmpty();
        var sme = result.Smes.Single();
        (sme.BusinessNumber, sme.MeetingCap, sme.ContactEmail, sme.KsicCodes.Single())
            .Should().Be(("1234567891", 10, "minsu@busan.kr", "29293"));
        sme.Name.Should().Be("㈜부산정밀", "free text keeps its characters");
    }

    [Fact]
    public void Buyers_read_with_Korean_kind_and_defaults()
    {
        var result = ImportBuyers(null, Buyer(), Buyer(("buyer_id", "KEPCO"), ("kind", "공공기관"), ("meeting_cap", ""), ("tables", ""),
            ("business_number", "")));
        result.Errors.Should().BeEmpty();
        result.Buyers.Should().HaveCount(2);
        result.Buyers[0].Should().BeEquivalentTo(new BuyerRow(2, "HHI-01", "HD현대중공업", "6058102345", "large_firm", "조선", ["29"],
            "울산", 20, 2, "A", ["D1-01"], "박지훈", "buyer@hhi.example.kr", "+821020222114", "en", false), o => o.ComparingByMembers<BuyerRow>());
        result.Buyers[1].Kind.Should().Be("public_institution");
        result.Buyers[1].MeetingCap.Should().Be(14);
        result.Buyers[1].Tables.Should().Be(1);
        result.Buyers[1].BusinessNumber.Should().BeNull();
    }

    [Fact]
    public void Demands_read_with_lists_split_on_commas_and_semicolons()
    {
        var result = Import(ParticipantKind.Demands, Cp949Bytes(CsvText([DemandHeaderKo, DemandValues])),
            options: new ImportOptions { KnownBuyerIds = new HashSet<string> { "hhi-01" } });
        result.Errors.Should().BeEmpty();
        result.Demands.Single().Should().BeEquivalentTo(new DemandRow(2, "D-001", "hhi-01", "선박용 프레스 금형 국산화",
            "대형 선박 블록용 프레스 금형 설계 및 제작", ["29293"], ["ISO 9001", "KS"], "1억~5억", "10벌", ["부산", "경남", "울산"]),
            o => o.ComparingByMembers<DemandRow>(), "the buyer id is written as the event spells it");
    }

    // --- every bad input gets a clear error with its row and column ---

    [Fact]
    public void Empty_file_is_rejected()
    {
        ShouldFailWith(Import(ParticipantKind.Smes, []), 0, "", "is empty");
        ShouldFailWith(Import(ParticipantKind.Smes, Utf8("\r\n , \r\n")), 0, "", "is empty");
    }

    [Fact]
    public void Header_only_file_is_rejected()
    {
        ShouldFailWith(Import(ParticipantKind.Smes, Utf8WithBom(CsvText([SmeHeaderKo]))), 1, "", "header row but no data rows");
    }

    [Fact]
    public void Missing_required_column_is_named_in_English_and_Korean()
    {
        var result = Import(ParticipantKind.Smes, Utf8(CsvText([["사업자등록번호", "지역"], ["1234567891", "부산"]])));
        result.Errors.Select(e => e.ToString()).Should().BeEquivalentTo(
            "name: required column name (기업명) is missing",
            "ksic_codes: required column ksic_codes (산업분류코드) is missing");
    }

    [Fact]
    public void A_file_of_another_kind_says_what_it_looks_like()
    {
        var result = Import(ParticipantKind.Buyers, Utf8(CsvText(SmeTable(SmeHeaderEn))));
        ShouldFailWith(result, 0, "buyer_id", "this looks like a smes file");
        // Korean names the kinds as the import page does, never by their English file names.
        result.Errors[0].MessageKo.Should().Be("필수 열 구매기업ID(buyer_id)이(가) 없습니다. 참가 중소기업 파일로 보입니다(구매기업 파일이 아님)");
    }

    [Fact]
    public void Unknown_columns_are_ignored_with_a_warning()
    {
        var result = Import(ParticipantKind.Smes, Utf8(CsvText([[.. SmeHeaderEn, "비고"], [.. SmeValues[0], "VIP"]])));
        result.Succeeded.Should().BeTrue();
        result.Warnings.Should().ContainSingle().Which.Should().Match<ImportIssue>(w =>
            w.Row == 0 && w.Column == "비고" && w.Message == "unknown column '비고' is ignored" && w.Code == "import.unknown_column");
    }

    [Fact]
    public void A_column_given_twice_in_two_languages_is_rejected()
    {
        var result = Import(ParticipantKind.Smes, Utf8(CsvText([[.. SmeHeaderEn, "기업명"], [.. SmeValues[0], "다른이름"]])));
        ShouldFailWith(result, 0, "기업명", "appears twice"); // named as the file names the second one
    }

    [Fact]
    public void Binary_file_is_rejected_as_neither_UTF8_nor_CP949()
    {
        byte[] binary = [.. Utf8("business_number,name,ksic_codes\n"), 0x00, 0x01, 0x02, 0xFF, 0xFE, 0x80, 0x0B, 0x0C];
        ShouldFailWith(Import(ParticipantKind.Smes, binary), 2, "", "file is not UTF-8 and not CP949");
    }

    [Fact]
    public void Mixed_UTF8_and_CP949_rows_are_rejected_with_the_row_that_switches()
    {
        var head = Utf8(CsvText([SmeHeaderKo, SmeValues[0]]));
        var tail = Cp949Bytes(CsvText([SmeValues[1]]));
        var result = Import(ParticipantKind.Smes, [.. head, .. tail]);
        ShouldFailWith(result, 3, "", "file is not UTF-8 and not CP949");
        result.Errors[0].Message.Should().Contain("row 1, column 1 is UTF-8").And.Contain("row 3");
    }

    [Fact]
    public void Mixed_encodings_inside_one_cell_are_rejected()
    {
        byte[] cell = [.. Utf8("부산정밀 "), .. Cp949Bytes("사출금형 및 프레스 금형 설계·제작")];
        byte[] file = [.. Utf8("business_number,name,ksic_codes,description\r\n1234567891,A,29293,"), .. cell, 0x0D, 0x0A];
        ShouldFailWith(Import(ParticipantKind.Smes, file), 2, "", "file is not UTF-8 and not CP949");
    }

    [Fact]
    public void UTF8_text_that_also_decodes_as_CP949_is_still_caught_in_a_mixed_cell()
    {
        // The UTF-8 bytes of 금형 are valid CP949 too (湲덊삎), so only plausibility gives the mix away.
        byte[] cell = [.. Utf8("금형"), .. Cp949Bytes(" 부산정밀")];
        byte[] file = [.. Utf8("business_number,name,ksic_codes\r\n1234567891,"), .. cell, .. Utf8(",29293\r\n")];
        ShouldFailWith(Import(ParticipantKind.Smes, file), 2, "", "file is not UTF-8 and not CP949");
    }

    [Fact]
    public void CP949_bytes_after_a_UTF8_BOM_are_rejected()
    {
        byte[] file = [0xEF, 0xBB, 0xBF, .. Cp949Bytes(CsvText(SmeTable(SmeHeaderKo)))];
        ShouldFailWith(Import(ParticipantKind.Smes, file), 1, "", "byte order mark");
    }

    [Fact]
    public void Duplicate_business_numbers_are_found_whatever_their_hyphens()
    {
        var result = ImportSmes(Sme(), Sme(("business_number", "1234567891"), ("name", "부산정밀 2공장")));
        ShouldFailWith(result, 3, "business_number", "'1234567891' is repeated; row 2 has it already");
    }

    [Fact]
    public void A_repeated_key_is_reported_even_on_a_row_with_other_errors()
    {
        var result = ImportSmes(Sme(), Sme(("trl", "99")));
        result.Errors.Select(e => (e.Row, e.Column)).Should().Equal((3, "trl"), (3, "business_number"));
    }

    [Fact]
    public void Duplicate_buyer_ids_are_rejected_ignoring_case()
    {
        ShouldFailWith(ImportBuyers(null, Buyer(), Buyer(("buyer_id", "hhi-01"))), 3, "buyer_id", "row 2 has it already");
    }

    [Fact]
    public void Duplicate_demand_ids_are_rejected()
    {
        var result = Import(ParticipantKind.Demands, Utf8(CsvText([DemandHeaderKo, DemandValues, DemandValues])));
        ShouldFailWith(result, 3, "수요ID", "'D-001' is repeated"); // the column as the Korean file names it
    }

    [Fact]
    public void Business_number_checksum_failure_is_reported()
    {
        ShouldFailWith(ImportSmes(Sme(("business_number", "123-45-67890"))), 2, "business_number", "fails its check digit");
        ShouldFailWith(ImportSmes(Sme(("business_number", "12345"))), 2, "business_number", "exactly 10 digits");
        ShouldFailWith(ImportSmes(Sme(("business_number", ""))), 2, "business_number", "is required");
    }

    [Fact]
    public void Unknown_KSIC_codes_are_listed()
    {
        ShouldFailWith(ImportSmes(Sme(("ksic_codes", "29293;99999;C2X"))), 2, "ksic_codes", "unknown KSIC-11 codes '99999', 'C2X'");
        ShouldFailWith(ImportSmes(Sme(("ksic_codes", "A29293"))), 2, "ksic_codes", "'A29293'");
        ShouldFailWith(ImportSmes(Sme(("ksic_codes", " "))), 2, "ksic_codes", "is required");
        ShouldFailWith(ImportSmes(Sme(("ksic_codes", "1110"))), 2, "ksic_codes", "did Excel drop a leading zero? '01110'");
    }

    [Theory]
    [InlineData("meeting_cap", "-3", "meeting_cap -3 is out of range; expected 1–50")]
    [InlineData("meeting_cap", "0", "expected 1–50")]
    [InlineData("meeting_cap", "99999999999999", "out of range")]
    [InlineData("meeting_cap", "2.5", "not a whole number")]
    [InlineData("meeting_cap", "열", "not a whole number")]
    [InlineData("employees", "-1", "expected 0–100000")]
    [InlineData("employees", "1000000", "expected 0–100000")]
    [InlineData("trl", "10", "expected 1–9")]
    public void Negative_or_absurd_numbers_are_rejected(string column, string value, string message)
    {
        ShouldFailWith(ImportSmes(Sme((column, value))), 2, column, message);
    }

    [Theory]
    [InlineData("meeting_cap", "201", "expected 1–200")]
    [InlineData("meeting_cap", "-14", "out of range")]
    [InlineData("tables", "11", "expected 1–10")]
    public void Buyer_caps_outside_their_range_are_rejected(string column, string value, string message)
    {
        ShouldFailWith(ImportBuyers(null, Buyer((column, value))), 2, column, message);
    }

    [Fact]
    public void Over_long_text_is_rejected_with_its_length()
    {
        ShouldFailWith(ImportSmes(Sme(("name", new string('가', 101)))), 2, "name", "101 characters long; at most 100");
        ShouldFailWith(ImportSmes(Sme(("description", new string('설', 4001)))), 2, "description", "at most 4,000");
        ShouldFailWith(ImportSmes(Sme(("keywords", "금형;" + new string('k', 61)))), 2, "keywords", "longer than 60");
    }

    [Fact]
    public void A_file_over_the_size_limit_is_rejected_before_parsing()
    {
        var bytes = Utf8(CsvText(SmeTable(SmeHeaderEn)));
        var options = new ImportOptions { MaxBytes = 200 };
        ShouldFailWith(Import(ParticipantKind.Smes, bytes, options: options), 0, "", "larger than the limit of 200 bytes");

        var forwardOnly = new ForwardOnlyStream(new byte[5_000_000]);
        var result = ParticipantImport.Read(ParticipantKind.Smes, forwardOnly, "big.csv", new ImportOptions { MaxBytes = 1024 * 1024 });
        ShouldFailWith(result, 0, "", "larger than the limit of 1 MB");
        forwardOnly.BytesRead.Should().BeLessThan(2 * 1024 * 1024, "reading stops once the limit is passed");
    }

    [Fact]
    public void Data_on_a_sheet_other_than_the_first_is_rejected()
    {
        var bytes = Xlsx(new XlsxSheet("안내", []), new XlsxSheet("중소기업", [SmeHeaderKo, SmeValues[0]]));
        ShouldFailWith(Import(ParticipantKind.Smes, bytes, "smes.xlsx"), 0, "",
            "the first sheet '안내' is empty; data must be on the first sheet (found data on sheet '중소기업')");
    }

    [Fact]
    public void Bad_email_is_rejected()
    {
        ShouldFailWith(ImportSmes(Sme(("email", "minsu.busan.co.kr"))), 2, "email", "is not an email address");
        ShouldFailWith(ImportSmes(Sme(("email", "a@b@c.kr"))), 2, "email", "is not an email address");
    }

    [Theory]
    [InlineData("010-1234-5678")]
    [InlineData("01012345678")]
    [InlineData("010 1234 5678")]
    [InlineData("010.1234.5678")]
    [InlineData("+82 10 1234 5678")]
    [InlineData("+82-10-1234-5678")]
    [InlineData("+82 (0)10-1234-5678")]
    [InlineData("1012345678")] // Excel took the cell for a number and dropped the leading 0
    [InlineData("０１０－１２３４－５６７８")] // typed with a Korean IME in full width
    public void Korean_mobile_numbers_in_the_usual_forms_are_stored_in_one_normal_form(string written)
    {
        var result = ImportSmes(Sme(("mobile", written)));
        result.Errors.Should().BeEmpty();
        result.Smes.Single().ContactMobile.Should().Be("+821012345678");
    }

    [Fact]
    public void Older_Korean_mobile_prefixes_and_foreign_mobiles_with_their_country_code_are_accepted()
    {
        ImportSmes(Sme(("mobile", "011-234-5678"))).Smes.Single().ContactMobile.Should().Be("+82112345678");
        ImportSmes(Sme(("mobile", "+1 415 555 0100"))).Smes.Single().ContactMobile.Should().Be("+14155550100");
    }

    [Theory]
    [InlineData("051-123-4567", "is not a Korean mobile number")] // a landline
    [InlineData("02-2202-2114", "is not a Korean mobile number")]
    [InlineData("010-1234-567", "is not a Korean mobile number")] // a digit short
    [InlineData("010-1234-56789", "is not a Korean mobile number")]
    [InlineData("010-1234-567O", "has characters other than digits")] // letter O for zero
    [InlineData("+1 555", "is not an international number")]
    public void A_bad_mobile_number_is_a_row_error_naming_the_row_and_column(string written, string message)
    {
        ShouldFailWith(ImportSmes(Sme(("mobile", written))), 2, "mobile", message);
        ShouldFailWith(ImportBuyers(null, Buyer(("mobile", written))), 2, "mobile", message);
    }

    [Fact]
    public void A_bad_email_of_a_buyer_is_a_row_error_too()
    {
        ShouldFailWith(ImportBuyers(null, Buyer(("email", "buyer@hhi..kr"))), 2, "email", "is not an email address");
        ShouldFailWith(ImportBuyers(null, Buyer(("email", "구매 담당@hhi.kr"))), 2, "email", "is not an email address");
    }

    [Fact]
    public void Language_and_opt_out_read_in_Korean_and_English_with_defaults_ko_and_not_opted_out()
    {
        var result = ImportSmes(Sme(("business_number", BusinessNumberFor(1)), ("language", "en"), ("opt_out", "수신거부")),
            Sme(("business_number", BusinessNumberFor(2)), ("language", "한국어"), ("opt_out", "N")),
            Sme(("business_number", BusinessNumberFor(3)), ("language", ""), ("opt_out", "")));
        ShouldFailWith(result, 2, "opt_out", "must be Y or N");
        result = ImportSmes(Sme(("business_number", BusinessNumberFor(1)), ("language", "English"), ("opt_out", "예")),
            Sme(("business_number", BusinessNumberFor(2)), ("language", "한국어"), ("opt_out", "N")),
            Sme(("business_number", BusinessNumberFor(3)), ("language", ""), ("opt_out", "")));
        result.Errors.Should().BeEmpty();
        result.Smes.Select(s => (s.Language, s.OptedOut)).Should().Equal(("en", true), ("ko", false), ("ko", false));
        ShouldFailWith(ImportSmes(Sme(("language", "日本語"))), 2, "language", "is not one of ko/한국어, en/영어");
    }

    [Fact]
    public void The_contact_columns_of_earlier_templates_are_read_or_named_in_a_warning()
    {
        string[] header = ["business_number", "name", "ksic_codes", "contact_email", "휴대폰", "연락처"];
        var result = Import(ParticipantKind.Smes, Utf8(CsvText([header, ["1234567891", "㈜부산정밀", "29293", "a@b.kr", "01012345678", "051-123-4567"]])));
        result.Errors.Should().BeEmpty();
        (result.Smes.Single().ContactEmail, result.Smes.Single().ContactMobile).Should().Be(("a@b.kr", "+821012345678"));
        result.Warnings.Should().ContainSingle(w => w.Column == "연락처" && w.Message.Contains("휴대전화"));
    }

    [Fact]
    public void Bad_buyer_kind_is_rejected_with_the_allowed_values()
    {
        ShouldFailWith(ImportBuyers(null, Buyer(("kind", "재벌"))), 2, "kind", "'재벌' is not one of large_firm/대기업");
    }

    [Fact]
    public void Buyer_kinds_map_from_English_and_Korean()
    {
        var result = ImportBuyers(null,
            Buyer(("buyer_id", "a"), ("kind", "Large Firm")), Buyer(("buyer_id", "b"), ("kind", "중견기업")),
            Buyer(("buyer_id", "c"), ("kind", "공기업")), Buyer(("buyer_id", "d"), ("kind", "병원")),
            Buyer(("buyer_id", "e"), ("kind", "대학교")), Buyer(("buyer_id", "f"), ("kind", "research-institute")));
        result.Buyers.Select(b => b.Kind).Should().Equal(
            "large_firm", "mid_size", "public_enterprise", "hospital", "university", "research_institute");
    }

    [Fact]
    public void Bad_participant_kind_is_rejected()
    {
        ParticipantKinds.TryParse("SMEs", out var kind).Should().BeTrue();
        kind.Should().Be(ParticipantKind.Smes);
        ParticipantKinds.Parse("demands").Should().Be(ParticipantKind.Demands);
        var act = () => ParticipantKinds.Parse("vendors");
        act.Should().Throw<FormatException>().WithMessage("unknown participant kind 'vendors'; expected buyers, demands or smes");
    }

    [Fact]
    public void Bad_export_record_value_is_rejected()
    {
        ShouldFailWith(ImportSmes(Sme(("export_record", "가끔"))), 2, "export_record", "must be Y or N (also 있음/없음, true/false)");
    }

    [Theory]
    [InlineData("Y", true)]
    [InlineData("true", true)]
    [InlineData("있음", true)]
    [InlineData("n", false)]
    [InlineData("FALSE", false)]
    [InlineData("없음", false)]
    [InlineData("", null)]
    public void Export_record_accepts_the_documented_spellings(string value, bool? expected)
    {
        ImportSmes(Sme(("export_record", value))).Smes.Single().ExportRecord.Should().Be(expected);
    }

    [Fact]
    public void Too_many_rows_are_rejected()
    {
        var rows = Enumerable.Range(0, 6).Select(_ => Sme()).ToArray();
        var result = Import(ParticipantKind.Smes, Utf8(CsvText([SmeHeaderEn, .. rows])), options: new ImportOptions { MaxRows = 5 });
        ShouldFailWith(result, 7, "", "more than 5 data rows");

        var workbook = Xlsx([SmeHeaderEn, .. rows]);
        ShouldFailWith(Import(ParticipantKind.Smes, workbook, "smes.xlsx", new ImportOptions { MaxRows = 5 }), 7, "", "more than 5 data rows");
    }

    [Fact]
    public void Every_bad_row_and_cell_is_reported_not_just_the_first()
    {
        var result = ImportSmes(
            Sme(("trl", "0"), ("email", "nobody")),
            Sme(("business_number", "2208112341")),
            Sme(("business_number", "6058102346"), ("ksic_codes", "00000")),
            Sme(("business_number", "1018600044"), ("name", "")));

        result.Errors.Select(e => (e.Row, e.Column)).Should().Equal(
            (2, "trl"), (2, "email"), (4, "business_number"), (4, "ksic_codes"), (5, "name"));
        result.RowCount.Should().Be(0);
    }

    [Fact]
    public void The_error_list_stops_at_MaxErrors_and_says_so()
    {
        var rows = Enumerable.Range(0, 10).Select(i => Sme(("trl", "99"), ("business_number", BusinessNumberFor(i)))).ToArray();
        var result = Import(ParticipantKind.Smes, Utf8(CsvText([SmeHeaderEn, .. rows])), options: new ImportOptions { MaxErrors = 3 });
        result.Errors.Should().HaveCount(4);
        result.Errors[^1].Should().Match<ImportIssue>(e =>
            e.Row == 5 && e.Column == "" && e.Message == "stopped after 3 errors; rows from here on were not checked" && e.Code == "import.stopped");
    }

    [Fact]
    public void Demands_of_a_buyer_not_in_the_event_are_rejected()
    {
        var options = new ImportOptions { KnownBuyerIds = new HashSet<string> { "POSCO" } };
        var result = Import(ParticipantKind.Demands, Utf8(CsvText([DemandHeaderKo, DemandValues])), options: options);
        ShouldFailWith(result, 2, "구매기업ID", "buyer_id 'HHI-01' is not a buyer of this event");
    }

    [Fact]
    public void Unavailable_slots_are_checked_against_the_event_when_known()
    {
        var options = new ImportOptions { KnownSlotCodes = new HashSet<string> { "D1-01", "D1-02" } };
        ImportBuyers(options, Buyer(("unavailable_slots", "d1-02"))).Buyers.Single().UnavailableSlots.Should().Equal("D1-02");
        ShouldFailWith(ImportBuyers(options, Buyer(("unavailable_slots", "D1-01;D9-99"))), 2, "unavailable_slots",
            "not slots of this event: 'D9-99'");
        ShouldFailWith(ImportBuyers(null, Buyer(("unavailable_slots", "10:00~10:30"))), 2, "unavailable_slots", "malformed slot codes");
    }

    [Fact]
    public void Bad_ids_are_rejected()
    {
        ShouldFailWith(ImportBuyers(null, Buyer(("buyer_id", "현대 01"))), 2, "buyer_id", "must be 1–40 characters of A–Z");
        ShouldFailWith(ImportBuyers(null, Buyer(("buyer_id", new string('B', 41)))), 2, "buyer_id", "must be 1–40");
    }

    [Fact]
    public void Values_beyond_the_header_point_at_an_unquoted_comma()
    {
        var header = string.Join(',', SmeHeaderEn);
        var line = string.Join(',', Sme(("description", "사출금형, 프레스 금형"), ("opt_out", "N")));
        var result = Import(ParticipantKind.Smes, Utf8(header + "\n" + line + "\n"));
        ShouldFailWith(result, 2, "", "1 value beyond the 19 header columns");
    }

    [Fact]
    public void An_unsupported_file_type_is_rejected()
    {
        ShouldFailWith(Import(ParticipantKind.Smes, Utf8("x"), "smes.pdf"), 0, "", "unsupported type '.pdf'");
    }

    [Fact]
    public void A_broken_xlsx_is_rejected()
    {
        ShouldFailWith(Import(ParticipantKind.Smes, Utf8(CsvText(SmeTable(SmeHeaderEn))), "smes.xlsx"), 0, "",
            "is not a valid XLSX workbook (it is neither an .xlsx nor an .xls file inside");
    }

    [Fact]
    public void Reimporting_an_export_gives_the_same_rows()
    {
        var exported = CsvWriter.ToBytes(SmeTable(SmeHeaderKo));
        ShouldReadSamples(Import(ParticipantKind.Smes, exported));
        var workbook = XlsxExport.ToBytes(new XlsxSheet("smes", SmeTable(SmeHeaderEn)));
        ShouldReadSamples(Import(ParticipantKind.Smes, workbook, "smes.xlsx"));
    }
}
