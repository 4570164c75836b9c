using System.CommandLine;

namespace MlWorkflow.Cli.Commands;

/// <summary><c>mlw completion bash|pwsh</c>: a script that wires the shell's tab completion to <c>mlw [suggest:N]</c>, System.CommandLine's completion directive.</summary>
internal static class CompletionCommand
{
    private const string Bash = """
        # mlw tab completion for bash: add `source <(mlw completion bash)` to ~/.bashrc
        _mlw_complete() {
            local IFS=$'\n'
            COMPREPLY=( $(mlw "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null) )
        }
        complete -o default -F _mlw_complete mlw
        """;

    private const string PowerShell = """
        # mlw tab completion for PowerShell: add `mlw completion pwsh | Out-String | Invoke-Expression` to your $PROFILE
        Register-ArgumentCompleter -Native -CommandName mlw -ScriptBlock {
            param($wordToComplete, $commandAst, $cursorPosition)
            mlw "[suggest:$cursorPosition]" "$commandAst" | ForEach-Object {
                [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
            }
        }
        """;

    public static Command Create()
    {
        var shell = new Argument<string>("shell") { Description = "bash or pwsh." };
        shell.AcceptOnlyFromAmong("bash", "pwsh");
        var command = new Command("completion", "Print the tab-completion script for a shell, e.g. source <(mlw completion bash).") { shell };
        command.SetAction(parse =>
        {
            Console.WriteLine(parse.GetValue(shell) == "bash" ? Bash : PowerShell);
            return CliApp.Ok;
        });
        return command;
    }
}
