using Matchmaker.Core.Recommendations;
using Matchmaker.Tools.Recommendations;

namespace Matchmaker.Core.Tests.Recommendations;

public class LibmfTextFormatTests
{
    private static RatingSet Parse(string text) => LibmfTextFormat.Read(new StringReader(text), "ratings.txt");

    [Fact]
    public void Reads_tokens_as_ids_and_skips_blank_lines()
    {
        var set = Parse("sme-1 buyer-A 4\n\n  sme-2\tbuyer-A  2.5\r\nsme-1 buyer-B -1e0\n");
        set.Count.Should().Be(3);
        set.Users.Ids.Should().Equal("sme-1", "sme-2");
        set.Items.Ids.Should().Equal("buyer-A", "buyer-B");
        set.Ratings.Select(r => r.Value).Should().Equal(4f, 2.5f, -1f);
    }

    [Theory]
    [InlineData("1 2 3\n4 5\n", 2, "found 2 field")]
    [InlineData("1 2 3\n\n1 2 x\n", 3, "'x' is not a finite number")]
    [InlineData("1 2 NaN\n", 1, "not a finite number")]
    [InlineData("1 2 3 4\n", 1, "found 4")]
    [InlineData("", 1, "no ratings")]
    [InlineData("\n\n", 2, "no ratings")]
    public void Bad_input_names_the_line(string text, int line, string message)
    {
        var act = () => Parse(text);
        act.Should().Throw<RatingFormatException>()
            .Where(e => e.Line == line && e.Message.StartsWith($"ratings.txt:{line}:") && e.Message.Contains(message));
    }

    [Fact]
    public void Train_and_test_can_share_one_id_space()
    {
        var users = new IdIndex();
        var items = new IdIndex();
        LibmfTextFormat.Read(new StringReader("a x 1\nb y 1\n"), "train", users, items);
        var test = LibmfTextFormat.Read(new StringReader("b x 1\nc z 1\n"), "test", users, items);
        test.Ratings.Should().Equal(new Rating(1, 0, 1), new Rating(2, 2, 1));
    }
}
