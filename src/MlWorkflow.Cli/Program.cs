using MlWorkflow;
using MlWorkflow.Cli;

// Multicore JIT: each command's next start-up compiles what this one compiled on a second core (see StartupJitProfile).
StartupJitProfile.Start(CliApp.ProfileName(args));
return await CliApp.RunAsync(args).ConfigureAwait(false);
