namespace Matchmaker.Core.Storage;

/// <summary>Where the embedded SQLite store lives (section <c>Matchmaker:Store</c>).</summary>
public sealed record StoreOptions
{
    /// <summary>
    /// Folder of the database file. Default: the user's local application data folder + <c>Matchmaker</c>
    /// (e.g. ~/.local/share/Matchmaker on Linux), never inside the repository.
    /// </summary>
    public string DataFolder { get; init; } =
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "Matchmaker");

    /// <summary>File name of the database inside <see cref="DataFolder"/>.</summary>
    public string DatabaseFile { get; init; } = "matchmaker.db";

    /// <summary>How long a writer waits for another writer's lock before SQLite reports busy. Too small: spurious
    /// busy errors under load; too large: a stuck writer stalls requests that long.</summary>
    public int BusyTimeoutMilliseconds { get; init; } = 5000;

    public string DatabasePath => Path.GetFullPath(Path.Combine(DataFolder, DatabaseFile));
}
