using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Matchmaker.Api.Tests.Notifications;

/// <summary>A real SMTP server (SmtpServer, in-process) on a free loopback port, keeping what arrives. It can refuse:
/// <see cref="RefuseNext"/> messages with 452 (transient), and every message to <see cref="Rejected"/> with 550.</summary>
public sealed class LoopbackSmtp : IDisposable
{
    readonly CancellationTokenSource _stop = new();
    readonly Task _running;

    public LoopbackSmtp()
    {
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
        }
        var options = new SmtpServerOptionsBuilder().ServerName("localhost")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, Port))).Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(this));
        _running = new SmtpServer.SmtpServer(options, services).StartAsync(_stop.Token);
    }

    public int Port { get; }

    public ConcurrentQueue<MimeMessage> Received { get; } = new();

    /// <summary>How many messages still to answer 452 (then they are accepted).</summary>
    public int RefuseNext;

    /// <summary>A recipient address every message to which is refused with 550.</summary>
    public string? Rejected { get; set; }

    public IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Matchmaker:Notifications:Smtp:Host"] = "127.0.0.1",
        ["Matchmaker:Notifications:Smtp:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Matchmaker:Notifications:Smtp:UseStartTls"] = "false",
        ["Matchmaker:Notifications:Smtp:From"] = "부산 구매상담회 사무국 <expo@example.kr>",
        ["Matchmaker:Notifications:RetryDelaySeconds"] = "0.01",
        // No minute's hold for batching (its own test drives the clock): what a change wrote goes at the next run.
        ["Matchmaker:Notifications:BatchSeconds"] = "0",
    };

    /// <summary>The server keeps the message with this number (1-based) but holds back its reply until
    /// <see cref="ReleaseReply"/>: a sender killed meanwhile has delivered a message it never heard was taken.</summary>
    public int HoldReplyTo { get; set; }

    /// <summary>Completes when the held message has arrived and its reply is being held.</summary>
    public Task Holding => _holding.Task;

    public void ReleaseReply() => _release.TrySetResult();

    readonly TaskCompletionSource _holding = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<IReadOnlyList<MimeMessage>> WaitForAsync(int count, int timeoutSeconds = 60)
    {
        var until = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (Received.Count < count && DateTime.UtcNow < until) await Task.Delay(100);
        await Task.Delay(300); // anything beyond the expected count would show up now
        return Received.ToList();
    }

    public void Dispose()
    {
        ReleaseReply();
        _stop.Cancel();
        try { _running.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
        _stop.Dispose();
    }

    sealed class Store(LoopbackSmtp server) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer,
            CancellationToken cancellationToken)
        {
            // The message is kept before the reply: a sender that dies while waiting for it has nonetheless delivered it,
            // which is exactly the case that makes SMTP at-least-once.
            var result = Save(transaction, buffer);
            if (server.HoldReplyTo > 0 && result == SmtpResponse.Ok && server.Received.Count == server.HoldReplyTo)
            {
                server._holding.TrySetResult();
                await server._release.Task;
            }
            return result;
        }

        SmtpResponse Save(IMessageTransaction transaction, ReadOnlySequence<byte> buffer)
        {
            if (server.Rejected is { } rejected && transaction.To.Any(t => $"{t.User}@{t.Host}" == rejected))
                return new SmtpResponse(SmtpReplyCode.MailboxUnavailable, "no such mailbox");
            if (Interlocked.Decrement(ref server.RefuseNext) >= 0)
                return new SmtpResponse(SmtpReplyCode.InsufficientStorage, "try again later");
            server.Received.Enqueue(MimeMessage.Load(new MemoryStream(buffer.ToArray())));
            return SmtpResponse.Ok;
        }
    }
}
