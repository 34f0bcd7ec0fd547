using System.CommandLine;
using Matchmaker.Core.Scheduling;

namespace Matchmaker.Tools.Scheduling;

/// <summary><c>schedule</c>: solve a b2b-schedule-instance/1 file and write the timetable with its bound and gap.</summary>
public static class ScheduleCommand
{
    public static Command Create()
    {
        var instance = new Option<string>("--instance") { Description = "instance JSON (b2b-schedule-instance/1)", Required = true };
        var output = new Option<string>("--out") { Description = "schedule JSON to write", Required = true };
        var timeLimit = new Option<double>("--time-limit") { Description = "seconds (default 60)", DefaultValueFactory = _ => 60 };
        var seed = new Option<int>("--seed") { Description = "seed (default 1)", DefaultValueFactory = _ => 1 };
        var command = new Command("schedule", "Optimise a meeting timetable; prints the summary, writes assignments") { instance, output, timeLimit, seed };
        command.SetAction(parse => CommandIo.Run(() =>
        {
            var started = TimeProvider.System.GetTimestamp();
            var problem = ScheduleJson.ReadInstance(File.ReadAllBytes(parse.GetValue(instance)!));
            var read = TimeProvider.System.GetElapsedTime(started).TotalSeconds;
            var options = new SchedulingOptions(TimeSpan.FromSeconds(parse.GetValue(timeLimit)), parse.GetValue(seed));
            var result = ScheduleSolver.Solve(problem, options, TimeProvider.System);
            var solved = TimeProvider.System.GetElapsedTime(started).TotalSeconds;
            File.WriteAllText(parse.GetValue(output)!, ScheduleJson.WriteResult(result));
            Console.WriteLine($"status={result.Status} objective={result.Objective} upper_bound={result.UpperBound} gap={result.Gap} " +
                              $"meetings={result.Meetings} smes_below_min={result.SmesBelowMin} time={result.Times["total"]}s read={read:F2}s read+solve={solved:F2}s");
        }));
        return command;
    }
}

/// <summary><c>repair</c>: adapt a published timetable to changes, keeping unaffected meetings where they are.</summary>
public static class RepairCommand
{
    public static Command Create()
    {
        var instance = new Option<string>("--instance") { Description = "instance JSON the timetable was made for", Required = true };
        var published = new Option<string>("--published") { Description = "published schedule JSON", Required = true };
        var changes = new Option<string>("--changes") { Description = "changes JSON (b2b-schedule-changes/1)", Required = true };
        var output = new Option<string>("--out") { Description = "repaired schedule + diff JSON to write", Required = true };
        var movePenalty = new Option<double>("--move-penalty") { Description = "cost of moving an unaffected meeting (default 1.0)", DefaultValueFactory = _ => 1.0 };
        var instanceOut = new Option<string?>("--instance-out") { Description = "also write the changed instance (for check.py)" };
        var command = new Command("repair", "Repair a published timetable after cancellations, no-shows, walk-ins or new requests")
            { instance, published, changes, output, movePenalty, instanceOut };
        command.SetAction(parse => CommandIo.Run(() =>
        {
            var problem = ScheduleJson.ReadInstance(File.ReadAllBytes(parse.GetValue(instance)!));
            var pub = ScheduleJson.ReadSchedule(File.ReadAllText(parse.GetValue(published)!));
            var ch = ScheduleChangesJson.Read(File.ReadAllText(parse.GetValue(changes)!));
            var result = ScheduleRepair.Repair(problem, pub, ch, new RepairOptions(parse.GetValue(movePenalty)), TimeProvider.System);
            File.WriteAllText(parse.GetValue(output)!, ScheduleChangesJson.WriteRepair(result));
            if (parse.GetValue(instanceOut) is { } path) File.WriteAllText(path, ScheduleJson.WriteInstance(result.ChangedProblem));
            var d = result.Diff;
            Console.WriteLine($"objective={result.Schedule.Objective} kept={d.Kept.Count} moved={d.Moved.Count} cancelled={d.Cancelled.Count} " +
                              $"added={d.Added.Count} notify_smes={d.NotifySmes.Count} notify_buyers={d.NotifyBuyers.Count} time={result.Schedule.Times["total"]}s");
        }));
        return command;
    }
}

/// <summary>Shared error handling: a bad instance is one clear line on stderr and exit code 2.</summary>
internal static class CommandIo
{
    public static int Run(Action body)
    {
        try
        {
            body();
            return 0;
        }
        catch (ScheduleFormatException e)
        {
            Console.Error.WriteLine($"error: invalid input: {e.Message}");
            return 2;
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
    }
}
