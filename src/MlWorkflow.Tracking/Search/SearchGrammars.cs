namespace MlWorkflow.Tracking.Search;

/// <summary>The grammars of MLflow's searches (runs, experiments, registered models, model versions), on the shared tokenizer and parsers.</summary>
internal static class SearchGrammars
{
    /// <summary>Runs (<c>runs/search</c>).</summary>
    public static SearchGrammar Runs { get; } = CreateRuns();

    /// <summary>Experiments (<c>experiments/search</c>).</summary>
    public static SearchGrammar Experiments { get; } = CreateTagged(
        "experiments",
        new Dictionary<string, SearchFieldRule>(StringComparer.Ordinal)
        {
            ["name"] = new("name", SearchValueType.String, SearchComparator.Text),
            ["creation_time"] = new("creation_time", SearchValueType.Number, SearchComparator.Numeric),
            ["last_update_time"] = new("last_update_time", SearchValueType.Number, SearchComparator.Numeric),
        },
        ["name", "experiment_id", "creation_time", "last_update_time"]);

    /// <summary>Registered models (<c>registered-models/search</c>): <c>name</c> and <c>tags.&lt;key&gt;</c>.</summary>
    public static SearchGrammar RegisteredModels { get; } = CreateTagged(
        "registered models",
        new Dictionary<string, SearchFieldRule>(StringComparer.Ordinal)
        {
            ["name"] = new("name", SearchValueType.String, SearchComparator.Text),
        },
        ["name", "creation_timestamp", "last_updated_timestamp"]);

    /// <summary>
    /// Model versions (<c>model-versions/search</c>): <c>name</c>, <c>run_id</c>, <c>source_path</c> (strings, IN too but not NOT IN),
    /// <c>version_number</c> (numeric) and <c>tags.&lt;key&gt;</c>; <c>current_stage</c> is not searchable.
    /// </summary>
    public static SearchGrammar ModelVersions { get; } = CreateTagged(
        "model versions",
        new Dictionary<string, SearchFieldRule>(StringComparer.Ordinal)
        {
            ["name"] = new("name", SearchValueType.String, SearchComparator.Text | SearchComparator.In),
            ["run_id"] = new("run_id", SearchValueType.String, SearchComparator.Text | SearchComparator.In),
            ["source_path"] = new("source_path", SearchValueType.String, SearchComparator.Text | SearchComparator.In),
            ["version_number"] = new("version_number", SearchValueType.Number, SearchComparator.Numeric),
        },
        ["name", "version_number", "creation_timestamp", "last_updated_timestamp"]);

    private static SearchGrammar CreateRuns()
    {
        var runName = new SearchFieldRule("run_name", SearchValueType.String, SearchComparator.Text);
        var startTime = new SearchFieldRule("start_time", SearchValueType.Number, SearchComparator.Numeric);
        var attributes = new Dictionary<string, SearchFieldRule>(StringComparer.Ordinal)
        {
            ["run_id"] = new("run_id", SearchValueType.String, SearchComparator.Text | SearchComparator.List),
            ["run_name"] = runName,
            ["run name"] = runName,
            ["Run name"] = runName,
            ["Run Name"] = runName,
            ["status"] = new("status", SearchValueType.String, SearchComparator.Text),
            ["user_id"] = new("user_id", SearchValueType.String, SearchComparator.Text),
            ["artifact_uri"] = new("artifact_uri", SearchValueType.String, SearchComparator.Text),
            ["start_time"] = startTime,
            ["created"] = startTime,
            ["Created"] = startTime,
            ["end_time"] = new("end_time", SearchValueType.Number, SearchComparator.Numeric),
        };
        (string, SearchIdentifierKind)[] entities =
        [
            ("metric", SearchIdentifierKind.Metric),
            ("metrics", SearchIdentifierKind.Metric),
            ("parameter", SearchIdentifierKind.Param),
            ("parameters", SearchIdentifierKind.Param),
            ("param", SearchIdentifierKind.Param),
            ("params", SearchIdentifierKind.Param),
            ("tag", SearchIdentifierKind.Tag),
            ("tags", SearchIdentifierKind.Tag),
            ("attribute", SearchIdentifierKind.Attribute),
            ("attributes", SearchIdentifierKind.Attribute),
            ("attr", SearchIdentifierKind.Attribute),
            ("run", SearchIdentifierKind.Attribute),
            (string.Empty, SearchIdentifierKind.Attribute),
            ("dataset", SearchIdentifierKind.Dataset),
            ("datasets", SearchIdentifierKind.Dataset),
        ];
        var datasetRule = SearchComparator.Text | SearchComparator.List;
        return new SearchGrammar
        {
            Subject = "runs",
            Entities = entities,
            Attributes = attributes,
            MetricRule = new("metric", SearchValueType.Number, SearchComparator.Numeric),
            ParamRule = new("param", SearchValueType.String, SearchComparator.Text),
            TagRule = new("tag", SearchValueType.String, SearchComparator.Text),
            DatasetFields = new Dictionary<string, SearchFieldRule>(StringComparer.Ordinal)
            {
                ["name"] = new("name", SearchValueType.String, datasetRule),
                ["digest"] = new("digest", SearchValueType.String, datasetRule),
                ["context"] = new("context", SearchValueType.String, datasetRule),
            },
            OrderByKinds = [SearchIdentifierKind.Metric, SearchIdentifierKind.Param, SearchIdentifierKind.Tag],
            OrderByAttributes = attributes.ToDictionary(pair => pair.Key, pair => pair.Value.Field, StringComparer.Ordinal),
        };
    }

    /// <summary>
    /// A grammar of attributes and <c>tags.&lt;key&gt;</c> (experiments, registered models, model versions): bare or
    /// <c>attribute.</c> names are attributes, <c>tag.</c>/<c>tags.</c> names are string tags, ordering by attributes only.
    /// </summary>
    private static SearchGrammar CreateTagged(string subject, Dictionary<string, SearchFieldRule> attributes, string[] orderBy) => new()
    {
        Subject = subject,
        Entities =
        [
            (string.Empty, SearchIdentifierKind.Attribute),
            ("attribute", SearchIdentifierKind.Attribute),
            ("tag", SearchIdentifierKind.Tag),
            ("tags", SearchIdentifierKind.Tag),
        ],
        Attributes = attributes,
        TagRule = new("tag", SearchValueType.String, SearchComparator.Text),
        OrderByKinds = [],
        OrderByAttributes = orderBy.ToDictionary(name => name, name => name, StringComparer.Ordinal),
    };
}
