using System.Text;

namespace Matchmaker.Core.Reference;

/// <summary>RFC 4180 reader for the reference files we ship (quoted fields, doubled quotes, newlines inside quotes).</summary>
public static class SimpleCsv
{
    public static IEnumerable<string[]> Read(TextReader reader)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var inQuotes = false;
        var any = false;
        int c;
        while ((c = reader.Read()) != -1)
        {
            any = true;
            var ch = (char)c;
            if (inQuotes)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"') { field.Append('"'); reader.Read(); }
                    else inQuotes = false;
                }
                else field.Append(ch);
            }
            else if (ch == '"') inQuotes = true;
            else if (ch == ',') { fields.Add(field.ToString()); field.Clear(); }
            else if (ch == '\r') { }
            else if (ch == '\n')
            {
                fields.Add(field.ToString()); field.Clear();
                yield return fields.ToArray();
                fields.Clear();
                any = false;
            }
            else field.Append(ch);
        }
        if (any) { fields.Add(field.ToString()); yield return fields.ToArray(); }
    }
}
