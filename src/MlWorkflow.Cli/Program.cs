using MlWorkflow.Cli;

return await CliApp.RunAsync(args).ConfigureAwait(false);
