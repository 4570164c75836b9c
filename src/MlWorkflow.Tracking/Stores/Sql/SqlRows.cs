using System.Data.Common;
using System.Globalization;
using System.Text;

namespace MlWorkflow.Tracking.Stores.Sql;

/// <summary>Inserts many rows with one statement shape: multi-row VALUES over a network, one prepared single-row statement in-process.</summary>
internal static class SqlRows
{
    // 500 rows per multi-row statement keeps the parameter count under every driver's limit.
    private const int RowsPerStatement = 500;

    /// <summary>Runs <c>head (row values) tail</c> for every row, all values as parameters.</summary>
    public static async Task InsertAsync(DbConnection connection, DbTransaction transaction, SqlDialect dialect, string head, string tail, IReadOnlyList<object?[]> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var columns = rows[0].Length;
        if (!dialect.MultiRowInsert)
        {
            // SQLite runs in this process: no round trip to save, and a prepared statement is reused with new values.
            await using var single = SqlDatabase.Command(connection, transaction, head + "(" + string.Join(", ", Enumerable.Range(0, columns).Select(c => "@c" + c.ToString(CultureInfo.InvariantCulture))) + ")" + tail);
            var parameters = Enumerable.Range(0, columns).Select(c => SqlDatabase.Add(single, "@c" + c.ToString(CultureInfo.InvariantCulture), null)).ToArray();
            foreach (var row in rows)
            {
                for (var c = 0; c < columns; c++)
                {
                    parameters[c].Value = row[c] ?? DBNull.Value;
                }

                await single.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        foreach (var chunk in rows.Chunk(RowsPerStatement))
        {
            var sql = new StringBuilder(head);
            await using var command = SqlDatabase.Command(connection, transaction, string.Empty);
            for (var r = 0; r < chunk.Length; r++)
            {
                sql.Append(r == 0 ? "(" : ", (");
                for (var c = 0; c < columns; c++)
                {
                    var name = string.Create(CultureInfo.InvariantCulture, $"@r{r}c{c}");
                    sql.Append(c == 0 ? "" : ", ").Append(name);
                    SqlDatabase.Add(command, name, chunk[r][c]);
                }

                sql.Append(')');
            }

            command.CommandText = sql.Append(tail).ToString();
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
