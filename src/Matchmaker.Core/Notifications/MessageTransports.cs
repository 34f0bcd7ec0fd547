using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Matchmaker.Core.Notifications;

/// <summary>Where a built message goes: an SMTP server, or .eml files when none is configured. A real seam: two
/// implementations, chosen by configuration.</summary>
public interface IMessageTransport
{
    /// <summary>A label for the organiser's page ("smtp mail.example.kr:587", "outbox folder").</summary>
    string Name { get; }

    Task SendAsync(MimeMessage message, CancellationToken cancellationToken);
}

/// <summary>Writes each message as <c>outbox/&lt;message id&gt;.eml</c> in the data folder (the default: no SMTP set up).
/// Writing the same message again overwrites its file, so a retry never leaves two copies.</summary>
public sealed class EmlFolderTransport(string folder) : IMessageTransport
{
    public string Folder { get; } = Path.GetFullPath(folder);

    public string Name => $"outbox folder {Folder}";

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Folder);
        var name = new string((message.MessageId ?? MimeKit.Utils.MimeUtils.GenerateMessageId()).Select(c => char.IsLetterOrDigit(c) || c is '-' or '.' ? c : '_').ToArray());
        var path = Path.Combine(Folder, name + ".eml");
        var temporary = path + ".tmp";
        await message.WriteToAsync(temporary, cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }
}

/// <summary>Sends through the configured SMTP server with MailKit, one connection per delivery run.</summary>
public sealed class SmtpTransport(SmtpOptions options) : IMessageTransport, IAsyncDisposable
{
    readonly SmtpClient _client = new();

    public string Name => $"smtp {options.Host}:{options.Port}";

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        if (!_client.IsConnected)
        {
            // Nagle's algorithm off: MailKit writes a command or a message's end in small pieces and then waits for the reply,
            // so with it on every message waits about 40 ms for a delayed ACK (the notification benchmark went from 10 to
            // 17 messages/s on loopback).
            var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(options.Host ?? "localhost", options.Port, cancellationToken);
                await _client.ConnectAsync(socket, options.Host ?? "localhost", options.Port,
                    options.UseStartTls ? SecureSocketOptions.StartTls : SecureSocketOptions.None, cancellationToken);
            }
            catch
            {
                socket.Dispose(); // once connected the client owns it; until then it is ours
                throw;
            }
            if (options.UserName is { Length: > 0 } user) await _client.AuthenticateAsync(user, options.Password ?? "", cancellationToken);
        }
        await _client.SendAsync(message, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_client.IsConnected) await _client.DisconnectAsync(true);
        }
        catch (Exception e) when (e is IOException or MailKit.ServiceNotConnectedException or MailKit.Net.Smtp.SmtpProtocolException)
        {
            // The server went away after the last message: nothing is lost, every sent message is already recorded.
        }
        _client.Dispose();
    }
}
