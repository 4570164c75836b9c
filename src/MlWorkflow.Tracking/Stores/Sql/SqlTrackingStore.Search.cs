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

        var search = RunSearchQuery.Parse(request.Filter, request.OrderBy);
        var offset = SearchPageToken.Decode(request.PageToken);
        var query = SqlRunSearch.Build(request, search, _database.Dialect, offset);
        return await _database.ReadAsync(
            async connection =>
            {
                foreach (var id in request.ExperimentIds)
                {
                    _ = await ReadExperimentAsync(connection, null, id, cancellationToken).ConfigureAwait(false)
                        ?? throw MlflowException.NotFound($"Could not find experiment with ID {id}");
                }

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

                var more = infos.Count > request.MaxResults;
                if (more)
                {
                    infos.RemoveAt(infos.Count - 1);
                }

                var runs = await LoadRunsAsync(connection, infos, cancellationToken).ConfigureAwait(false);
                return new PagedList<Run>(runs, more ? SearchPageToken.Encode(offset + runs.Length) : null);
            },
            cancellationToken).ConfigureAwait(false);
    }
}
