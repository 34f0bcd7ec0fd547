using Matchmaker.Core.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Matchmaker.Hosting;

/// <summary>
/// Keeps this process listening for the writes of the other processes on PostgreSQL (<see cref="EventChanges.ListenAsync"/>),
/// so that the answers it keeps are dropped as soon as another API process or a worker commits a change. Nothing to do on SQLite.
/// </summary>
public sealed class ChangeListener(Database database, ILogger<ChangeListener> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => database.Changes.ListenAsync(logger, stoppingToken);
}
