using System.CommandLine;

namespace MlWorkflow.Cli.Commands;

/// <summary>What <c>mlw server</c> and <c>mlw models serve</c> share: the port option and its check, the start with its errors, the wait until Ctrl+C.</summary>
internal static class ListeningCommand
{
    /// <summary><c>--port</c>/<c>-p</c>; <see cref="CheckPort"/> checks it in the command's validator.</summary>
    public static Option<int> PortOption(int defaultPort) =>
        new("--port", "-p") { Description = "The port to listen on; 0 picks a free one.", DefaultValueFactory = _ => defaultPort };

    /// <summary>Refuses a port outside 0 (any free one) to 65535.</summary>
    public static void CheckPort(System.CommandLine.Parsing.CommandResult result, Option<int> port)
    {
        if (result.GetValue(port) is < 0 or > 65535)
        {
            result.AddError("--port must be between 0 and 65535.");
        }
    }

    /// <summary>Starts a server: a bad host is a usage error, a port in use a one-line failure naming it.</summary>
    public static async Task<T> StartAsync<T>(Func<Task<T>> start, string host, int port)
    {
        try
        {
            return await start().ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
        catch (IOException e) when (e.Message.Contains("address", StringComparison.OrdinalIgnoreCase) || e.InnerException is System.Net.Sockets.SocketException)
        {
            throw new IOException($"cannot listen on {host}:{port}: the port is already in use; pick another with --port (or --port 0 for any free one).", e);
        }
    }

    /// <summary>Says where the server listens, waits until it stops or Ctrl+C (a normal stop), then disposes it.</summary>
    public static async Task<int> RunUntilStoppedAsync(IAsyncDisposable server, Action announce, Func<CancellationToken, Task> waitForShutdown, CancellationToken cancellationToken)
    {
        await using (server.ConfigureAwait(false))
        {
            announce();
            try
            {
                await waitForShutdown(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl+C: a normal stop.
            }
        }

        return CliApp.Ok;
    }
}
