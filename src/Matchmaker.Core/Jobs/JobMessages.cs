using System.Text.Json;
using Matchmaker.Core.Messages;

namespace Matchmaker.Core.Jobs;

/// <summary>
/// A job's message is kept as its catalogue code and arguments (a small JSON object in the jobs table's message
/// column), so whoever reads the job later reads it in their own language. A message stored as plain text (older
/// rows, or one not in the catalogue) is shown as written, under the code "job.message".
/// </summary>
public static class JobMessages
{
    sealed record Stored(string Code, string?[] Args);

    public static string Encode(Message message)
    {
        MessageCatalog.Text(message.Code, MessageLanguage.En, message.Args); // fails early for a code not in the catalogue
        return JsonSerializer.Serialize(new Stored(message.Code, message.Args.Select(a => a switch
        {
            null => null,
            IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
            _ => a.ToString(),
        }).ToArray()), JobStore.Json);
    }

    /// <summary>A stored whole number is a number again, so that counts get the reader's thousands separators ({0:N0}).</summary>
    static object? Typed(string? arg) =>
        long.TryParse(arg, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : arg;

    /// <summary>The stored message's code and its text in <paramref name="language"/>.</summary>
    public static (string Code, string Text) Render(string stored, MessageLanguage language)
    {
        if (stored.StartsWith("{\"code\":", StringComparison.Ordinal))
        {
            try
            {
                var message = JsonSerializer.Deserialize<Stored>(stored, JobStore.Json);
                if (message is not null && MessageCatalog.Entries.ContainsKey(message.Code))
                    return (message.Code, MessageCatalog.Text(message.Code, language, message.Args.Select(Typed).ToArray()));
            }
            catch (JsonException)
            {
                // Not ours after all: shown as written.
            }
        }
        return (stored == "queued" ? "job.queued" : "job.message", stored == "queued" ? MessageCatalog.Text("job.queued", language) : stored);
    }
}
