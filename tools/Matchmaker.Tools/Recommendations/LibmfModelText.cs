using System.Globalization;
using Matchmaker.Core.Recommendations;

namespace Matchmaker.Tools.Recommendations;

/// <summary>
/// Writes a model in LIBMF's text model format (header f/m/n/k/b, then <c>p&lt;id&gt; T|F v…</c> rows) so that
/// /work/shared/tools/mf/eval_rank.py can score it: an independent check of our ranking metrics. Needs numeric ids.
/// </summary>
public static class LibmfModelText
{
    public static void Write(MfModel model, string path)
    {
        using var w = new StreamWriter(path);
        var users = Rows(model.Users);
        var items = Rows(model.Items);
        w.WriteLine("f 0");
        w.WriteLine($"m {users.Length}");
        w.WriteLine($"n {items.Length}");
        w.WriteLine($"k {model.Factors}");
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"b {model.GlobalMean}"));
        WriteSide(w, 'p', users, model.UserFactors, model.Factors);
        WriteSide(w, 'q', items, model.ItemFactors, model.Factors);
    }

    /// <summary>rows[id] = model index, or -1 for an id without factors (written as F).</summary>
    private static int[] Rows(IdIndex ids)
    {
        var numeric = ids.Ids.Select(id => int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n : throw new InvalidOperationException($"LIBMF model files need numeric ids; found '{id}'.")).ToArray();
        var rows = new int[numeric.Length == 0 ? 0 : numeric.Max() + 1];
        Array.Fill(rows, -1);
        for (var x = 0; x < numeric.Length; x++) rows[numeric[x]] = x;
        return rows;
    }

    private static void WriteSide(StreamWriter w, char side, int[] rows, float[] factors, int k)
    {
        for (var id = 0; id < rows.Length; id++)
        {
            w.Write(side);
            w.Write(id.ToString(CultureInfo.InvariantCulture));
            w.Write(rows[id] >= 0 ? " T" : " F");
            for (var d = 0; d < k; d++)
            {
                w.Write(' ');
                w.Write(rows[id] >= 0 ? factors[rows[id] * k + d].ToString("R", CultureInfo.InvariantCulture) : "0");
            }
            w.WriteLine();
        }
    }
}
