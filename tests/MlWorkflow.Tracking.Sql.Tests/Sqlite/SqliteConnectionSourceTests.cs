using System.Data.Common;
using Microsoft.Data.Sqlite;
using MlWorkflow.Tracking.Stores.Sql;

namespace MlWorkflow.Tracking.Sql.Tests.Sqlite;

/// <summary>
/// Transactions on tables beside MLflow's (the auth store's users): writes commit or roll back whole; reads do not wait for
/// this process's writes to the SQLite file to take their turn.
/// </summary>
[TestFixture]
public sealed class SqliteConnectionSourceTests
{
    private TemporaryDirectory _directory = null!;
    private SqlConnectionSource _source = null!;

    [SetUp]
    public async Task CreateTable()
    {
        _directory = new TemporaryDirectory();
        _source = new SqlConnectionSource(SqliteUri.For(_directory.Combine("side.db")));
        await _source.InTransactionAsync((c, t) => ExecuteAsync(c, t, "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)"));
    }

    [TearDown]
    public void DeleteDirectory()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    [Test]
    public async Task A_read_runs_while_a_write_of_the_same_process_holds_its_turn()
    {
        var inserted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var write = _source.InTransactionAsync(async (c, t) =>
        {
            await ExecuteAsync(c, t, "INSERT INTO notes (text) VALUES ('pending')");
            inserted.SetResult();
            await release.Task;
            return 0;
        });
        try
        {
            await inserted.Task;

            // Guards against a hang only: a read waiting behind the write would never end while the write waits here.
            var during = await _source.ReadAsync(CountAsync).WaitAsync(TimeSpan.FromMinutes(1));

            Assert.That(during, Is.Zero, "the uncommitted insert is not seen");
        }
        finally
        {
            release.TrySetResult();
            await write;
        }

        Assert.That(await _source.ReadAsync(CountAsync), Is.EqualTo(1));
    }

    [Test]
    public async Task A_write_that_fails_part_way_leaves_nothing_and_the_next_one_commits()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => _source.InTransactionAsync<int>(async (c, t) =>
        {
            await ExecuteAsync(c, t, "INSERT INTO notes (text) VALUES ('lost')");
            throw new InvalidOperationException("stop");
        }));
        var refused = await Assert.ThrowsAsync<MlflowException>(() => _source.InTransactionAsync((c, t) => ExecuteAsync(c, t, "INSERT INTO notes (text) VALUES (NULL)")));
        await _source.InTransactionAsync((c, t) => ExecuteAsync(c, t, "INSERT INTO notes (text) VALUES ('kept')"));

        Assert.That(refused!.ErrorCode, Is.EqualTo(ErrorCode.BadRequest));
        Assert.That(await _source.ReadAsync(CountAsync), Is.EqualTo(1));
    }

    private static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql)
    {
        await using var command = SqlDatabase.Command(connection, transaction, sql);
        return await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> CountAsync(DbConnection connection)
    {
        await using var command = SqlDatabase.Command(connection, null, "SELECT COUNT(*) FROM notes");
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
