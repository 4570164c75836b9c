using System.CommandLine;
using System.CommandLine.Invocation;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using MlWorkflow.Cli.Commands;
using MlWorkflow.Tracking;

namespace MlWorkflow.Cli;

/// <summary>The <c>mlw</c> command tree and its exit codes: 0 ok, 1 failed, 2 usage.</summary>
internal static class CliApp
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;

    public static RootCommand Build()
    {
        var root = new RootCommand("mlw, the MlWorkflow command line: an MLflow-compatible tracking server and the MLflow commands for experiments, runs, artifacts and models.");
        root.Options.Add(GlobalOptions.Verbose);
        root.Subcommands.Add(ServerCommand.Create());
        root.Subcommands.Add(ExperimentsCommand.Create());
        root.Subcommands.Add(RunsCommand.Create());
        root.Subcommands.Add(ArtifactsCommand.Create());
        root.Subcommands.Add(ModelsCommand.Create());
        root.Subcommands.Add(GcCommand.Create());
        root.Subcommands.Add(UsersCommand.Create());
        root.Subcommands.Add(DbCommand.Create());
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(AutoMlCommand.Create());
        root.Subcommands.Add(CompletionCommand.Create());

        // Bare `mlw` shows the help, as `mlflow` does.
        root.SetAction(parse =>
        {
            new System.CommandLine.Help.HelpAction().Invoke(parse);
            return Ok;
        });
        return root;
    }

    /// <summary>The name of a start-up's JIT profile: the command's leading words (<c>runs-list</c>, <c>server</c>), or <c>mlw</c>.</summary>
    public static string ProfileName(string[] args)
    {
        var words = new List<string>(2);
        foreach (var arg in args)
        {
            if (words.Count == 2 || arg.Length == 0 || arg[0] == '-' || !arg.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                break;
            }

            words.Add(arg);
        }

        return words.Count == 0 ? "mlw" : string.Join('-', words);
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var parse = Build().Parse(args);
        // Ctrl+C (SIGINT) and SIGTERM cancel the command, which then ends cleanly (mlw run ends its run KILLED); a second one ends the process.
        var configuration = new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
        using var interrupted = new CancellationTokenSource();
        void Interrupt(PosixSignalContext context)
        {
            context.Cancel = !interrupted.IsCancellationRequested;
            interrupted.Cancel();
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
        if (parse.Action is ParseErrorAction parseError)
        {
            // Usage errors and typo suggestions on stderr, with a pointer to the help rather than all of it.
            parseError.ShowHelp = false;
            configuration.Output = Console.Error;
        }

        try
        {
            var code = await parse.InvokeAsync(configuration, interrupted.Token).ConfigureAwait(false);
            if (parse.Action is ParseErrorAction)
            {
                Console.Error.WriteLine($"See '{CommandPath(parse.CommandResult)} --help'.");
                return Usage;
            }

            return code;
        }
        catch (Exception e)
        {
            return Report(e, parse.GetValue(GlobalOptions.Verbose));
        }
        finally
        {
            GlobalOptions.DisposeLoggers();
        }
    }

    private static string CommandPath(System.CommandLine.Parsing.CommandResult result)
    {
        var names = new List<string>();
        for (System.CommandLine.Parsing.SymbolResult? r = result; r is not null; r = r.Parent)
        {
            if (r is System.CommandLine.Parsing.CommandResult command)
            {
                names.Insert(0, command.Parent is null ? "mlw" : command.Command.Name);
            }
        }

        return string.Join(' ', names);
    }

    /// <summary>One line on stderr; the stack trace only with <c>--verbose</c> and only for unexpected failures.</summary>
    private static int Report(Exception e, bool verbose)
    {
        var (code, expected) = e switch
        {
            UsageException => (Usage, true),
            MlflowException => (Failed, true),
            MlWorkflow.Data.DataSourceException or MlWorkflow.Serving.Batch.BatchScoringException => (Failed, true),
            OperationCanceledException => (Failed, true),
            IOException or SocketException or UnauthorizedAccessException or HttpRequestException => (Failed, true),
            _ => (Failed, false),
        };
        var message = e is OperationCanceledException ? "cancelled." : Message(e);
        Console.Error.WriteLine(expected ? $"mlw: {message}" : $"mlw: unexpected error ({e.GetType().Name}): {message}" + (verbose ? "" : " (--verbose shows the details)"));
        if (verbose)
        {
            Console.Error.WriteLine(e.ToString());
        }

        return code;
    }

    /// <summary>The first line of the exception's message, at most ~300 characters.</summary>
    private static string Message(Exception e)
    {
        var message = e.Message;
        var line = message.Split('\n')[0].Trim();
        return line.Length > 300 ? line[..300] + "…" : line;
    }
}
