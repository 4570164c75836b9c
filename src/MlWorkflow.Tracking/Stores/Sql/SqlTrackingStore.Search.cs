using System.Data.Common;
using MlWorkflow.Tracking.Search;
using MlWorkflow.Tracking.Validation;

namespace MlWorkflow.Tracking.Stores.Sql;

public sealed partial class SqlTrackingStore
{
    /// <inheritdoc />
    /// <remarks>The filter, ordering and page are one SQL query; only the page's runs are read, with their metrics, params, tags and inputs.</remarks>
    public async Task<PagedList<Run>> SearchRunsAsync(SearchRunsRequest request, CancellationToken cancellationToken = default)
    {
        TrackingValidation.ValidateSearchRunsRequest(request);

        // The clauses only: the in-memory matchers and comparer of RunSearchQuery would be built (and compiled, in a new process) for nothing.
        var clauses = SearchFilterParser.Parse(request.Filter, SearchGrammars.Runs);
        var orderBy = SearchOrderByParser.Parse(request.OrderBy, SearchGrammars.Runs);
        var offset = SearchPageToken.Decode(request.PageToken);
        var query = SqlRunSearch.Build(request, clauses, orderBy, _database.Dialect, offset);
        return await _database.ReadAsync(
            async connection =>
            {
                var infos = new List<RunInfo>();
                await using (var command = Command(connection, null, query.Text))
                {
                    query.Bind(command);
                    await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        infos.Add(ReadRunInfo(reader));
                    }
                }

                // A run on the page proves its experiment exists (a foreign key); only experiments the page does not show are
                // looked up, to fail with NOT_FOUND as MLflow does. The usual search, of one experiment with runs, needs no
                // second statement (a new process's first search then also compiles none of it).
                if (!ShowsEveryExperiment(infos, request.ExperimentIds))
                {
                    await RequireExperimentsAsync(connection, request.ExperimentIds, cancellationToken).ConfigureAwait(false);
                }

                var next = SearchPageToken.TrimToPage(infos, offset, request.MaxResults);
                var runs = await LoadRunsAsync(connection, infos, cancellationToken).ConfigureAwait(false);
                return new PagedList<Run>(runs, next);
            },
            cancellationToken).ConfigureAwait(false);
    }

    private static bool ShowsEveryExperiment(List<RunInfo> infos, IReadOnlyList<string> experimentIds)
    {
        foreach (var id in experimentIds)
        {
            var shown = false;
            foreach (var info in infos)
            {
                if (string.Equals(info.ExperimentId, id, StringComparison.Ordinal))
                {
                    shown = true;
                    break;
                }
            }

            if (!shown)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Fails with NOT_FOUND naming the first experiment id that does not exist; one statement that reads ids only (not the experiments and their tags).</summary>
    private static async Task RequireExperimentsAsync(DbConnection connection, IReadOnlyList<string> experimentIds, CancellationToken cancellationToken)
    {
        var ids = experimentIds.Select(id => ParseExperimentId(id)).OfType<long>().Distinct().ToArray();
        var found = new HashSet<long>();
        if (ids.Length > 0)
        {
            await using var command = Command(connection, null, $"SELECT experiment_id FROM experiments WHERE experiment_id IN ({string.Join(", ", ids.Select((_, i) => "@e" + Invariant(i)))})");
            for (var i = 0; i < ids.Length; i++)
            {
                Add(command, "@e" + Invariant(i), ids[i]);
            }

            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                found.Add(Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        foreach (var id in experimentIds)
        {
            if (ParseExperimentId(id) is not { } parsed || !found.Contains(parsed))
            {
                throw MlflowException.NotFound($"Could not find experiment with ID {id}");
            }
        }
    }
}
