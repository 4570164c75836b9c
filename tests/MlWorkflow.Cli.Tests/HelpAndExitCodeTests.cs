namespace MlWorkflow.Cli.Tests;

/// <summary>What a new user meets first: help at every level on stdout, the version, typo suggestions, completion, exit codes 0/1/2, one-line errors.</summary>
[TestFixture]
public sealed class HelpAndExitCodeTests
{
    private TemporaryDirectory _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = new TemporaryDirectory();

    [TearDown]
    public void DeleteDirectory() => _directory.Dispose();

    private Task<MlwResult> Mlw(params string[] args) => Tests.Mlw.RunAsync(_directory.Path, null, args);

    [TestCase("--help", "experiments")]
    [TestCase("server --help", "--backend-store-uri")]
    [TestCase("server --help", "--workers")]
    [TestCase("experiments --help", "restore")]
    [TestCase("experiments create --help", "--experiment-name")]
    [TestCase("runs describe --help", "--run-id")]
    [TestCase("artifacts download --help", "--dst-path")]
    [TestCase("models set-alias --help", "--alias")]
    [TestCase("gc --help", "--older-than")]
    public async Task Help_at_every_level_goes_to_stdout_and_exits_0(string args, string mentions)
    {
        var result = await Mlw(args.Split(' '));

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stdout, Does.Contain("Usage:").And.Contain(mentions));
        Assert.That(result.Stderr, Is.Empty);
    }

    [Test]
    public async Task Bare_mlw_shows_the_help_and_exits_0()
    {
        var result = await Mlw();

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stdout, Does.Contain("Usage:").And.Contain("experiments").And.Contain("gc"));
    }

    [TestCase("--artifacts-destination", "dest", "--artifacts-destination needs artifact serving")]
    [TestCase("--default-artifact-root", "mlflow-artifacts:/", "names the artifact proxy, which --no-serve-artifacts turns off")]
    public async Task An_artifact_proxy_option_without_artifact_serving_is_a_usage_error(string option, string value, string expected)
    {
        var result = await Mlw("server", "--backend-store-uri", _directory.Combine("mlruns"), option, value, "--no-serve-artifacts", "--port", "0");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stderr.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(result.Stderr, Does.Contain(expected));
        Assert.That(Directory.Exists(_directory.Combine("mlruns")), Is.False, "nothing is created");
    }

    [Test]
    public async Task A_default_artifact_root_leaving_the_destination_is_a_usage_error()
    {
        var result = await Mlw("server", "--backend-store-uri", _directory.Combine("mlruns"), "--default-artifact-root", "mlflow-artifacts:/../outside", "--port", "0");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stderr, Does.Contain("must stay inside the artifacts destination"));
    }

    [Test]
    public async Task Version_prints_the_assembly_version()
    {
        var result = await Mlw("--version");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stdout.Trim(), Does.StartWith(typeof(MlflowClient).Assembly.GetName().Version!.ToString(3)));
    }

    [Test]
    public async Task A_misspelt_command_suggests_the_right_one_on_stderr_and_exits_2()
    {
        var result = await Mlw("experimnts", "search");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stderr, Does.Contain("experiments").And.Contain("mlw --help"));
        Assert.That(result.Stdout, Is.Empty);
    }

    [Test]
    public async Task A_missing_required_option_is_a_usage_error_naming_it()
    {
        var result = await Mlw("runs", "describe");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stderr, Does.Contain("--run-id").And.Contain("mlw runs describe --help"));
    }

    [Test]
    public async Task The_completion_directive_suggests_commands()
    {
        var result = await Mlw("[suggest]", "exp");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stdout.Split('\n', StringSplitOptions.TrimEntries), Does.Contain("experiments"));
    }

    [Test]
    public async Task A_store_error_is_one_line_on_stderr_with_exit_1_and_no_stack_trace()
    {
        var result = await Mlw("runs", "describe", "--run-id", "0123456789abcdef0123456789abcdef", "--tracking-uri", _directory.Combine("mlruns"));

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Stderr.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(result.Stderr, Does.StartWith("mlw: ").And.Contain("0123456789abcdef0123456789abcdef").And.Not.Contain("   at "));
    }

    [Test]
    public async Task An_unreachable_server_is_one_line_on_stderr_with_exit_1()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var result = await Tests.Mlw.RunAsync(_directory.Path, new Dictionary<string, string?> { ["MLFLOW_HTTP_REQUEST_MAX_RETRIES"] = "0" },
            "experiments", "search", "--tracking-uri", $"http://127.0.0.1:{port}");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Stderr.TrimEnd().Split('\n'), Has.Length.EqualTo(1), result.Stderr);
        Assert.That(result.Stderr, Does.StartWith("mlw: ").And.Contain("127.0.0.1"));
    }

    [Test]
    public async Task A_mysql_backend_is_refused_in_one_line_naming_the_supported_databases_and_not_the_password()
    {
        var result = await Mlw("server", "--backend-store-uri", "mysql://bob:secret@db/mlflow", "--port", "0");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stderr.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(result.Stderr, Does.Contain("not supported").And.Contain("sqlite:///").And.Not.Contain("secret"));
    }

    [Test]
    public async Task An_s3_artifacts_destination_that_names_no_valid_bucket_is_refused_in_one_line()
    {
        var result = await Mlw("server", "--artifacts-destination", "s3://Not_A_Bucket/path", "--port", "0");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stderr.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(result.Stderr, Does.Contain("--artifacts-destination 's3://Not_A_Bucket/path'").And.Contain("valid bucket name"));
    }

    [Test]
    public async Task A_remote_artifacts_destination_no_package_serves_is_refused_naming_the_scheme()
    {
        var result = await Mlw("server", "--artifacts-destination", "gs://bucket/path", "--port", "0");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stderr, Does.Contain("No artifact repository serves 'gs:' URIs"));
    }

    [Test]
    public async Task A_port_in_use_is_one_line_with_exit_1()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;

        var result = await Mlw("server", "--backend-store-uri", _directory.Combine("mlruns"), "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Stderr.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(result.Stderr, Does.Contain("already in use").And.Contain("--port").And.Not.Contain("   at "));
    }

    [Test]
    public async Task An_invalid_view_is_a_usage_error()
    {
        var result = await Mlw("experiments", "search", "--view", "deleted", "--tracking-uri", _directory.Combine("mlruns"));

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stderr, Does.Contain("active_only, deleted_only or all"));
    }
}

/// <summary>Tab completion in a real bash, through the script <c>mlw completion bash</c> prints.</summary>
[TestFixture]
[Platform(Exclude = "Win")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CompletionTests
{
    [Test]
    public async Task The_bash_completion_script_completes_commands_and_options()
    {
        using var directory = new TemporaryDirectory();
        var shim = directory.Combine("mlw");
        await File.WriteAllTextAsync(shim, $"#!/bin/sh\nexec dotnet '{Mlw.DllPath}' \"$@\"\n");
        File.SetUnixFileMode(shim, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var script = await Mlw.RunAsync(directory.Path, null, "completion", "bash");
        await File.WriteAllTextAsync(directory.Combine("completion.bash"), script.Stdout);

        async Task<string> CompleteAsync(string line)
        {
            var start = new System.Diagnostics.ProcessStartInfo("bash") { RedirectStandardOutput = true, UseShellExecute = false, WorkingDirectory = directory.Path };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add($"source ./completion.bash; COMP_LINE='{line}'; COMP_POINT={line.Length}; _mlw_complete; printf '%s\\n' \"${{COMPREPLY[@]}}\"");
            start.Environment["PATH"] = directory.Path + ":" + Environment.GetEnvironmentVariable("PATH");
            start.Environment["MLW_JIT_PROFILE"] = Mlw.JitProfiles;
            using var bash = System.Diagnostics.Process.Start(start)!;
            var output = await bash.StandardOutput.ReadToEndAsync();
            await bash.WaitForExitAsync();
            return output;
        }

        Assert.That(script.ExitCode, Is.Zero, script.ToString());
        Assert.That((await CompleteAsync("mlw exp")).Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[] { "experiments" }));
        Assert.That((await CompleteAsync("mlw runs describe --r")).Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[] { "--run-id" }));
    }
}
