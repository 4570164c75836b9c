using System.Data.Common;
using MlWorkflow.Tracking.Validation;

namespace MlWorkflow.Tracking.Stores.Sql;

public sealed partial class SqlTrackingStore
{
    /// <summary>
    /// The runs in the <c>deleted</c> stage, for garbage collection (<c>mlw gc</c>, as MLflow's <c>mlflow gc</c>:
    /// https://mlflow.org/docs/latest/cli.html#mlflow-gc): every one, or those deleted at or before a time.
    /// </summary>
    /// <param name="deletedAtOrBefore">Only runs whose deletion time is at or before this; a run without a recorded deletion time never qualifies then. Null for every deleted run.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The deleted runs' infos.</returns>
    public async Task<IReadOnlyList<RunInfo>> GetDeletedRunsAsync(DateTimeOffset? deletedAtOrBefore, CancellationToken cancellationToken = default)
    {
        var sql = $"SELECT {RunColumns} FROM runs r WHERE r.lifecycle_stage = 'deleted'" + (deletedAtOrBefore is null ? "" : " AND r.deleted_time IS NOT NULL AND r.deleted_time <= @cutoff") + " ORDER BY r.run_uuid";
        return await _database.ReadAsync(
            async connection =>
            {
                await using var command = Command(connection, null, sql);
                if (deletedAtOrBefore is { } cutoff)
                {
                    Add(command, "@cutoff", cutoff.ToUnixTimeMilliseconds());
                }

                var runs = new List<RunInfo>();
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    runs.Add(ReadRunInfo(reader));
                }

                return runs;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Permanently removes a deleted run's rows (metrics, params, tags, dataset inputs, the run), in one transaction. Its artifacts are the caller's.</summary>
    /// <param name="runId">A run in the <c>deleted</c> stage.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the run is gone.</returns>
    /// <exception cref="MlflowException"><see cref="ErrorCode.ResourceDoesNotExist"/> for an unknown run; <see cref="ErrorCode.InvalidParameterValue"/> for a run that is not deleted.</exception>
    public async Task PurgeRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        TrackingValidation.ValidateRunId(runId);
        await _database.InTransactionAsync(
            async (connection, transaction) =>
            {
                var info = await ReadRunInfoAsync(connection, transaction, runId, cancellationToken).ConfigureAwait(false);
                if (info.LifecycleStage != LifecycleStage.Deleted)
                {
                    throw MlflowException.InvalidParameter($"Run {runId} is not in the deleted lifecycle stage; delete it first (mlw runs delete).");
                }

                await DeleteRunRowsAsync(connection, transaction, "= @id", runId, cancellationToken).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Permanently removes a deleted experiment with all its runs, datasets, tags and traces, in one transaction. Artifacts are the caller's.</summary>
    /// <param name="experimentId">An experiment in the <c>deleted</c> stage.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the experiment is gone.</returns>
    /// <exception cref="MlflowException"><see cref="ErrorCode.ResourceDoesNotExist"/> for an unknown experiment; <see cref="ErrorCode.InvalidParameterValue"/> for one that is not deleted.</exception>
    public async Task PurgeExperimentAsync(string experimentId, CancellationToken cancellationToken = default)
    {
        TrackingValidation.ValidateExperimentId(experimentId);
        await _database.InTransactionAsync(
            async (connection, transaction) =>
            {
                var experiment = await ReadExperimentAsync(connection, transaction, experimentId, cancellationToken).ConfigureAwait(false)
                    ?? throw MlflowException.NotFound($"Could not find experiment with ID {experimentId}");
                if (experiment.LifecycleStage != LifecycleStage.Deleted)
                {
                    throw MlflowException.InvalidParameter($"Experiment {experimentId} is not in the deleted lifecycle stage; delete it first (mlw experiments delete).");
                }

                var id = ParseExperimentId(experimentId)!.Value;
                await DeleteRunRowsAsync(connection, transaction, "IN (SELECT run_uuid FROM runs WHERE experiment_id = @id)", id, cancellationToken).ConfigureAwait(false);

                // Children before parents: the schema's foreign keys have no ON DELETE CASCADE here.
                string[] statements =
                [
                    "DELETE FROM input_tags WHERE input_uuid IN (SELECT input_uuid FROM inputs WHERE source_type = 'DATASET' AND source_id IN (SELECT dataset_uuid FROM datasets WHERE experiment_id = @id))",
                    "DELETE FROM inputs WHERE source_type = 'DATASET' AND source_id IN (SELECT dataset_uuid FROM datasets WHERE experiment_id = @id)",
                    "DELETE FROM datasets WHERE experiment_id = @id",
                    "DELETE FROM trace_tags WHERE request_id IN (SELECT request_id FROM trace_info WHERE experiment_id = @id)",
                    "DELETE FROM trace_request_metadata WHERE request_id IN (SELECT request_id FROM trace_info WHERE experiment_id = @id)",
                    "DELETE FROM trace_info WHERE experiment_id = @id",
                    "DELETE FROM experiment_tags WHERE experiment_id = @id",
                    "DELETE FROM experiments WHERE experiment_id = @id",
                ];
                foreach (var sql in statements)
                {
                    await using var delete = Command(connection, transaction, sql);
                    Add(delete, "@id", id);
                    await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes the rows of the runs whose <c>run_uuid</c> matches <paramref name="runMatch"/> (with parameter <c>@id</c>), children first.</summary>
    private static async Task DeleteRunRowsAsync(DbConnection connection, DbTransaction transaction, string runMatch, object id, CancellationToken cancellationToken)
    {
        string[] statements =
        [
            $"DELETE FROM input_tags WHERE input_uuid IN (SELECT input_uuid FROM inputs WHERE destination_type = 'RUN' AND destination_id {runMatch})",
            $"DELETE FROM inputs WHERE destination_type = 'RUN' AND destination_id {runMatch}",
            $"DELETE FROM metrics WHERE run_uuid {runMatch}",
            $"DELETE FROM latest_metrics WHERE run_uuid {runMatch}",
            $"DELETE FROM params WHERE run_uuid {runMatch}",
            $"DELETE FROM tags WHERE run_uuid {runMatch}",
            $"DELETE FROM runs WHERE run_uuid {runMatch}",
        ];
        foreach (var sql in statements)
        {
            await using var delete = Command(connection, transaction, sql);
            Add(delete, "@id", id);
            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
