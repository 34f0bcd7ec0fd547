using Matchmaker.Core.Recommendations;

namespace Matchmaker.Core.Tests.Recommendations;

public class InteractionSignalTests
{
    private static readonly DateTimeOffset At = new(2026, 5, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_pair_takes_its_highest_rung_plus_its_negative_events()
    {
        var weights = new InteractionSignalWeights();
        var set = weights.ToRatingSet(
        [
            new("sme-b", "posco", InteractionKind.IntroductionRequested, At),
            new("sme-b", "posco", InteractionKind.MeetingHeld, At),
            new("sme-b", "posco", InteractionKind.RequestAccepted, At),
            new("sme-a", "khnp", InteractionKind.RequestDeclined, At),
            new("sme-a", "posco", InteractionKind.ProfileViewed, At),
            new("sme-a", "posco", InteractionKind.NoShow, At),
        ]);

        var cells = set.Ratings.Select(r => (set.Users[r.User], set.Items[r.Item], r.Value)).ToArray();
        cells.Should().Equal(
            ("sme-a", "khnp", weights.RequestDeclined),
            ("sme-a", "posco", weights.ProfileViewed + weights.NoShow),
            ("sme-b", "posco", weights.MeetingHeld));
    }

    [Fact]
    public void Events_split_at_a_cut_off_share_one_id_space()
    {
        var weights = new InteractionSignalWeights();
        Interaction[] events =
        [
            new("s1", "b1", InteractionKind.MeetingHeld, At.AddDays(-30)),
            new("s2", "b1", InteractionKind.ContractSigned, At.AddDays(-3)),
            new("s1", "b2", InteractionKind.RequestAccepted, At.AddDays(2)),
        ];
        var smes = new IdIndex();
        var buyers = new IdIndex();
        var train = weights.ToRatingSet(events.Where(e => e.At < At), smes, buyers);
        var test = weights.ToRatingSet(events.Where(e => e.At >= At), smes, buyers);
        test.Users.Should().BeSameAs(train.Users);
        test.Ratings.Should().Equal(new Rating(smes.IndexOf("s1"), buyers.IndexOf("b2"), weights.RequestAccepted));
        train.Count.Should().Be(2);
    }

    [Fact]
    public void Default_weights_climb_the_ladder_and_negatives_are_negative()
    {
        var w = new InteractionSignalWeights();
        InteractionKind[] ladder =
        [
            InteractionKind.ProfileViewed, InteractionKind.IntroductionRequested, InteractionKind.RequestAccepted,
            InteractionKind.MeetingHeld, InteractionKind.MeetingRatedWell, InteractionKind.FollowUpAgreed,
            InteractionKind.ContractSigned,
        ];
        ladder.Select(w.WeightOf).Should().BeInAscendingOrder().And.OnlyContain(x => x > 0);
        w.WeightOf(InteractionKind.RequestDeclined).Should().BeNegative();
        w.WeightOf(InteractionKind.NoShow).Should().BeNegative();
    }

    [Fact]
    public void Pairs_that_net_to_zero_are_dropped_and_weights_are_configurable()
    {
        var w = new InteractionSignalWeights { ProfileViewed = 1f, RequestDeclined = -1f };
        var set = w.ToRatingSet(
        [
            new("s", "b", InteractionKind.ProfileViewed, At),
            new("s", "b", InteractionKind.RequestDeclined, At),
            new("s", "c", InteractionKind.ProfileViewed, At),
        ]);
        set.Count.Should().Be(1);
        set.Items[set.Ratings[0].Item].Should().Be("c");
    }
}

public class TopKTests
{
    [Fact]
    public void Orders_by_score_then_id_rank_and_skips_nan()
    {
        float[] scores = [0.5f, 0.9f, float.NaN, 0.9f, 0.1f];
        int[] rank = [0, 3, 1, 2, 4]; // item 3 has a smaller id than item 1
        var top = new int[3];
        TopK.Select(scores, rank, top).Should().Be(3);
        top.Should().Equal(3, 1, 0);
    }

    [Fact]
    public void Id_order_is_numeric_for_numbers_and_ordinal_otherwise()
    {
        string[] ids = ["10", "9", "b", "A", "010"];
        ids.Order(IdOrder.Instance).Should().Equal("9", "10", "010", "A", "b");
    }
}
