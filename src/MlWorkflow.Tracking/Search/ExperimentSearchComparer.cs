namespace MlWorkflow.Tracking.Search;

/// <summary>Orders experiments as MLflow's FileStore does (see <see cref="ExperimentSearchQuery.Comparer"/>).</summary>
internal sealed class ExperimentSearchComparer : IComparer<Experiment>
{
    private readonly SearchOrderKey[] keys;

    /// <summary>Compiles order_by keys validated by <see cref="SearchGrammars.Experiments"/>, adding MLflow's tie-breakers.</summary>
    public ExperimentSearchComparer(IReadOnlyList<SearchOrderKey> orderBy)
    {
        if (orderBy.Count == 0)
        {
            keys =
            [
                new SearchOrderKey(SearchIdentifierKind.Attribute, "creation_time", Ascending: false),
                new SearchOrderKey(SearchIdentifierKind.Attribute, "experiment_id", Ascending: true),
            ];
        }
        else if (orderBy.Any(key => key.Key == "experiment_id"))
        {
            keys = orderBy.ToArray();
        }
        else
        {
            keys = [.. orderBy, new SearchOrderKey(SearchIdentifierKind.Attribute, "experiment_id", Ascending: false)];
        }
    }

    /// <inheritdoc />
    public int Compare(Experiment? x, Experiment? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null || y is null)
        {
            return x is null ? 1 : -1;
        }

        foreach (var key in keys)
        {
            int result;
            switch (key.Key)
            {
                case "name":
                    result = string.CompareOrdinal(x.Name, y.Name);
                    break;
                case "experiment_id":
                    result = string.CompareOrdinal(x.ExperimentId, y.ExperimentId);
                    break;
                default:
                    var a = key.Key == "creation_time" ? x.CreationTime : x.LastUpdateTime;
                    var b = key.Key == "creation_time" ? y.CreationTime : y.LastUpdateTime;
                    if (!a.HasValue || !b.HasValue)
                    {
                        if (a.HasValue != b.HasValue)
                        {
                            return a.HasValue ? -1 : 1; // missing last, whatever the direction
                        }

                        continue;
                    }

                    result = a.Value.CompareTo(b.Value);
                    break;
            }

            if (result != 0)
            {
                return key.Ascending ? result : -result;
            }
        }

        return 0;
    }
}
