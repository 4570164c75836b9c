using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace MlWorkflow.Tracking.Sql.Tests.Postgres;

/// <summary>
/// A throwaway PostgreSQL server for the tests: <c>initdb</c> into a temporary folder, <c>pg_ctl start</c> on a free loopback port,
/// stopped and deleted after the run (<see cref="PostgresServerSetup"/>). As root, the server runs as the unprivileged user
/// <c>nobody</c> (initdb refuses root). Missing binaries fail the tests with a one-line hint; they are never skipped.
/// </summary>
internal sealed class PostgresServer
{
    private static readonly Lazy<PostgresServer> Shared = new(Start);
    private static int _databases;
    private readonly string _folder;
    private readonly string _pgCtl;

    private PostgresServer(string folder, string pgCtl, int port)
    {
        _folder = folder;
        _pgCtl = pgCtl;
        Port = port;
    }

    public int Port { get; }

    public static bool Started => Shared.IsValueCreated;

    public static PostgresServer Instance => Shared.Value;

    /// <summary>Creates an empty database and returns its <c>postgresql://</c> URI.</summary>
    public string CreateDatabase()
    {
        var name = "mlw_" + Environment.ProcessId + "_" + Interlocked.Increment(ref _databases);
        using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"CREATE DATABASE {name}";
        command.ExecuteNonQuery();
        return $"postgresql://postgres@127.0.0.1:{Port}/{name}";
    }

    public string ConnectionString(string database) => $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=false";

    public void Stop()
    {
        NpgsqlConnection.ClearAllPools();
        RunAsServerUser(_pgCtl, "-D", Path.Combine(_folder, "data"), "-m", "immediate", "-w", "stop");
        Directory.Delete(_folder, recursive: true);
    }

    private static PostgresServer Start()
    {
        var initdb = Find("initdb");
        var pgCtl = Find("pg_ctl");
        var folder = Directory.CreateTempSubdirectory("mlw-postgres-").FullName;
        if (IsRoot())
        {
            Run("chown", "nobody", folder);
        }

        var port = FreePort();
        RunAsServerUser(initdb, "-D", Path.Combine(folder, "data"), "-U", "postgres", "-A", "trust", "--locale=C", "-E", "UTF8");

        // Loopback only, the socket in the temporary folder, no fsync: a throwaway server for tests.
        RunAsServerUser(pgCtl, "-D", Path.Combine(folder, "data"), "-l", Path.Combine(folder, "server.log"), "-w", "-t", "60", "-o", $"-p {port} -h 127.0.0.1 -k {folder} -c fsync=off -c max_connections=200", "start");
        return new PostgresServer(folder, pgCtl, port);
    }

    private static string Find(string binary)
    {
        foreach (var directory in new[] { "/usr/local/bin" }.Concat((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)).Concat(Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")) : []))
        {
            var path = Path.Combine(directory, binary);
            if (File.Exists(path))
            {
                return path;
            }
        }

        Assert.Fail($"PostgreSQL's {binary} was not found (in /usr/local/bin, on PATH or under /usr/lib/postgresql/*/bin): install the PostgreSQL 15 server binaries (e.g. apt-get install postgresql-15) to run the PostgreSQL tests.");
        throw new InvalidOperationException("unreachable");
    }

    private static bool IsRoot() => Environment.UserName == "root";

    private static void RunAsServerUser(string binary, params string[] arguments)
    {
        if (IsRoot())
        {
            Run("runuser", ["-u", "nobody", "--", binary, .. arguments]);
        }
        else
        {
            Run(binary, arguments);
        }
    }

    private static void Run(string binary, params string[] arguments)
    {
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            Assert.Fail($"{Path.GetFileName(binary)} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error} {output.Result}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
