using Matchmaker.Core.Scheduling;
using Matchmaker.Tools.Scheduling;

namespace Matchmaker.Core.Tests.Scheduling;

public class ScheduleRepairTests
{
    private static (ScheduleProblem Problem, IReadOnlyList<Meeting> Published) Published(int seed = 41, int days = 1)
    {
        var problem = InstanceGenerator.Generate(new GenSpec(15, 50, 10, seed, Days: days));
        return (problem, ScheduleSolver.Solve(problem).Assignments);
    }

    private static void Valid(RepairResult r) =>
        ReferenceChecker.Violations(r.ChangedProblem, r.Schedule.Assignments).Should().BeEmpty();

    [Fact]
    public void Nothing_changed_means_nothing_moves()
    {
        var (problem, published) = Published();
        var r = ScheduleRepair.Repair(problem, published, []);
        r.Diff.Moved.Should().BeEmpty();
        r.Diff.Cancelled.Should().BeEmpty();
        r.Diff.Added.Should().BeEmpty();
        r.Diff.NotifySmes.Should().BeEmpty();
        r.Schedule.Assignments.Should().BeEquivalentTo(published);
    }

    [Fact]
    public void A_no_show_keeps_every_unaffected_meeting_in_place()
    {
        var (problem, published) = Published();
        var sme = published.GroupBy(m => m.Sme).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;
        var slot = problem.Slots[3];
        var r = ScheduleRepair.Repair(problem, published, [new NoShowChange(sme, null, slot.Id)]);
        Valid(r);
        var affected = published.Where(m => m.Sme == sme && problem.Slots.First(s => s.Id == m.Slot).Start >= slot.Start).ToList();
        affected.Should().NotBeEmpty();
        r.Diff.Cancelled.Select(c => c.Meeting).Should().BeEquivalentTo(affected);
        r.Diff.Moved.Should().BeEmpty("nobody else had to move");
        r.Schedule.Assignments.Should().Contain(published.Except(affected));
        // Nothing new is placed in the past.
        var before = problem.Slots.Where(s => s.Start < slot.Start).Select(s => s.Id).ToHashSet();
        r.Diff.Added.Should().NotContain(m => before.Contains(m.Slot));
        r.Diff.NotifySmes.Should().Contain(sme);
    }

    [Fact]
    public void A_cancelled_buyer_frees_its_slots_for_standby_pairs()
    {
        var (problem, published) = Published(seed: 42);
        var buyer = published.GroupBy(m => m.Buyer).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;
        var r = ScheduleRepair.Repair(problem, published, [new CancelChange(null, buyer)]);
        Valid(r);
        r.Schedule.Assignments.Should().NotContain(m => m.Buyer == buyer);
        r.Diff.Cancelled.Should().OnlyContain(c => c.Meeting.Buyer == buyer && c.Reason == "buyer_cancelled");
        r.Diff.Kept.Should().HaveCount(published.Count - r.Diff.Cancelled.Count);
        r.Diff.NotifyBuyers.Should().Contain(buyer);
    }

    [Fact]
    public void Meetings_before_now_are_history_and_never_cancelled()
    {
        var (problem, published) = Published(seed: 45);
        var buyer = published.GroupBy(m => m.Buyer).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;
        var now = problem.Slots.OrderBy(s => s.Start).ElementAt(4);
        var r = ScheduleRepair.Repair(problem, published, [new NowChange(now.Id), new CancelChange(null, buyer)]);
        Valid(r);
        var past = published.Where(m => problem.Slots.First(s => s.Id == m.Slot).Start < now.Start).ToList();
        r.Schedule.Assignments.Should().Contain(past);
        r.Diff.Cancelled.Should().OnlyContain(c => c.Meeting.Buyer == buyer && problem.Slots.First(s => s.Id == c.Meeting.Slot).Start >= now.Start);
        r.Diff.Added.Should().NotContain(m => problem.Slots.First(s => s.Id == m.Slot).Start < now.Start);
    }

    [Fact]
    public void A_walk_in_gets_meetings_and_an_accepted_request_is_met()
    {
        var (problem, published) = Published(seed: 43);
        var buyers = problem.Buyers.Take(4).ToList();
        var walkIn = new AddSmeChange(new SmeDef("S-WALKIN", 3, 1), buyers.Select((b, i) => new PairDef("S-WALKIN", b.Id, 0.9 - 0.1 * i)).ToList());
        var unscheduled = problem.Pairs.First(p => !published.Any(m => m.Sme == p.Sme && m.Buyer == p.Buyer));
        var r = ScheduleRepair.Repair(problem, published, [walkIn, new AcceptRequestChange(unscheduled.Sme, unscheduled.Buyer)]);
        Valid(r);
        r.Diff.Added.Should().Contain(m => m.Sme == "S-WALKIN");
        r.Diff.NotifySmes.Should().Contain("S-WALKIN");
        r.Diff.Moved.Where(m => m.Reason != "moved_for_better").Should().BeEmpty();
    }

    [Fact]
    public void A_removed_table_displaces_only_its_meetings()
    {
        var (problem, published) = Published(seed: 44);
        var buyer = problem.Buyers.First(b => b.Tables >= 2 && published.Any(m => m.Buyer == b.Id && m.Table == b.Tables));
        var r = ScheduleRepair.Repair(problem, published, [new RemoveTableChange(buyer.Id)]);
        Valid(r);
        var onTable = published.Where(m => m.Buyer == buyer.Id && m.Table == buyer.Tables).ToList();
        r.Diff.Kept.Should().HaveCount(published.Count - onTable.Count - r.Diff.Moved.Count(m => m.Reason == "moved_for_better"));
        r.Diff.Cancelled.Concat<object>(r.Diff.Moved).Should().NotBeEmpty();
    }

    [Fact]
    public void Changes_json_names_bad_fields()
    {
        FluentActions.Invoking(() => ScheduleChangesJson.Read("""{"changes":[{"type":"explode"}]}"""))
            .Should().Throw<ScheduleFormatException>().Where(e => e.Field == "changes[0].type");
        var (problem, published) = Published();
        FluentActions.Invoking(() => ScheduleRepair.Repair(problem, published, ScheduleChangesJson.Read("""{"changes":[{"type":"no_show","sme":"S00001","slot":"X"}]}""")))
            .Should().Throw<ScheduleFormatException>().Where(e => e.Field == "changes[0].slot");
        FluentActions.Invoking(() => ScheduleRepair.Repair(problem, published, ScheduleChangesJson.Read(
                """{"changes":[{"type":"add_sme","sme":{"id":"W1"},"pairs":[{"buyer":"B0001","score":0.5},{"buyer":"NOPE","score":0.5}]}]}""")))
            .Should().Throw<ScheduleFormatException>().Where(e => e.Field == "changes[0].pairs[1].buyer");
    }
}

public class RepairHistoryTests
{
    [Fact]
    public void A_meeting_before_now_is_never_moved_to_make_room_for_a_newly_accepted_request()
    {
        // Regression: the repair's ejection chain unlocked every kept meeting, history too, and its inline clash test
        // (unlike the exchange's) did not stop at "now": a meeting already held in D1-01 (hall A) was moved to D1-04 so
        // that a new request in hall C, 10 minutes away, could take D1-02.
        var start = new DateTime(2026, 5, 20, 10, 0, 0);
        var slots = Enumerable.Range(0, 4).Select(i => new SlotDef($"D1-0{i + 1}", start.AddMinutes(35 * i), start.AddMinutes(35 * i + 30))).ToList();
        var travel = new Dictionary<string, IReadOnlyDictionary<string, double>>
        {
            ["A"] = new Dictionary<string, double> { ["A"] = 0, ["C"] = 10 },
            ["C"] = new Dictionary<string, double> { ["A"] = 10, ["C"] = 0 },
        };
        var problem = new ScheduleProblem(slots,
            [new BuyerDef("BA", Hall: "A"), new BuyerDef("BC", Hall: "C", UnavailableSlots: ["D1-01", "D1-03", "D1-04"])],
            [new SmeDef("S1")], [new PairDef("S1", "BA", 0.5)], new ProblemOptions(TravelMinutes: travel));
        var held = new Meeting("S1", "BA", "D1-01", 1);

        var r = ScheduleRepair.Repair(problem, [held], [new NowChange("D1-02"), new AcceptRequestChange("S1", "BC", 0.9)]);

        r.Schedule.Assignments.Should().Contain(held);
        r.Diff.Moved.Should().BeEmpty();
        r.Diff.Kept.Should().Equal(held);
        ReferenceChecker.Violations(r.ChangedProblem, r.Schedule.Assignments).Should().BeEmpty();
    }
}
