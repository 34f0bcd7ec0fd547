using System.Globalization;

using Matchmaker.Core.Recommendations;

namespace Matchmaker.Tools.Recommendations;

/// <summary>Thrown for a malformed rating file; carries the 1-based line number.</summary>
public sealed class RatingFormatException(string path, int line, string message)
    : FormatException($"{path}:{line}: {message}")
{
    public string Path { get; } = path;
    public int Line { get; } = line;
}

/// <summary>
/// Reads LIBMF's text format: one <c>user item value</c> per line, separated by spaces or tabs; ids are any tokens
/// (kept as strings), the value is a finite number. Blank lines are skipped; anything else malformed is an error
/// with its line number, because a silently skipped line would bias the benchmark.
/// </summary>
public static class LibmfTextFormat
{
    private static readonly char[] Separators = [' ', '\t'];

    /// <summary>Reads a file into <paramref name="users"/>/<paramref name="items"/> (shared maps let test reuse train's ids).</summary>
    public static RatingSet Read(TextReader reader, string path, IdIndex? users = null, IdIndex? items = null)
    {
        users ??= new IdIndex();
        items ??= new IdIndex();
        var ratings = new List<Rating>();
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            var fields = line.Split(Separators, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0) continue;
            if (fields.Length < 3)
                throw new RatingFormatException(path, lineNumber,
                    $"expected 'user item value', found {fields.Length} field(s): '{line.Trim()}'");
            if (fields.Length > 3)
                throw new RatingFormatException(path, lineNumber,
                    $"expected 3 fields 'user item value', found {fields.Length}: '{line.Trim()}'");
            if (!float.TryParse(fields[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                || !float.IsFinite(value))
                throw new RatingFormatException(path, lineNumber, $"value '{fields[2]}' is not a finite number");
            ratings.Add(new Rating(users.GetOrAdd(fields[0]), items.GetOrAdd(fields[1]), value));
        }
        if (ratings.Count == 0)
            throw new RatingFormatException(path, Math.Max(lineNumber, 1), "the file holds no ratings");
        return new RatingSet(users, items, [.. ratings]);
    }

    public static RatingSet ReadFile(string path, IdIndex? users = null, IdIndex? items = null)
    {
        using var reader = new StreamReader(path);
        return Read(reader, path, users, items);
    }
}
