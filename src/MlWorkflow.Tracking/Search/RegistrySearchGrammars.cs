using System.Collections.Frozen;

namespace MlWorkflow.Tracking.Search;

/// <summary>The grammars of MLflow's registry searches (mlflow-protocol.md 5.4 and 5.5), on the shared tokenizer and parsers.</summary>
internal static class RegistrySearchGrammars
{
    /// <summary>Registered models (<c>registered-models/search</c>): <c>name</c> and <c>tags.&lt;key&gt;</c>.</summary>
    public static SearchGrammar RegisteredModels { get; } = Create(
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
    public static SearchGrammar ModelVersions { get; } = Create(
        "model versions",
        new Dictionary<string, SearchFieldRule>(StringComparer.Ordinal)
        {
            ["name"] = new("name", SearchValueType.String, SearchComparator.Text | SearchComparator.In),
            ["run_id"] = new("run_id", SearchValueType.String, SearchComparator.Text | SearchComparator.In),
            ["source_path"] = new("source_path", SearchValueType.String, SearchComparator.Text | SearchComparator.In),
            ["version_number"] = new("version_number", SearchValueType.Number, SearchComparator.Numeric),
        },
        ["name", "version_number", "creation_timestamp", "last_updated_timestamp"]);

    private static SearchGrammar Create(string subject, Dictionary<string, SearchFieldRule> attributes, string[] orderBy) => new()
    {
        Subject = subject,
        Entities = new Dictionary<string, SearchIdentifierKind>(StringComparer.Ordinal)
        {
            [string.Empty] = SearchIdentifierKind.Attribute,
            ["attribute"] = SearchIdentifierKind.Attribute,
            ["tag"] = SearchIdentifierKind.Tag,
            ["tags"] = SearchIdentifierKind.Tag,
        }.ToFrozenDictionary(StringComparer.Ordinal),
        Attributes = attributes.ToFrozenDictionary(StringComparer.Ordinal),
        KeyedRules = new Dictionary<SearchIdentifierKind, SearchFieldRule>
        {
            [SearchIdentifierKind.Tag] = new("tag", SearchValueType.String, SearchComparator.Text),
        }.ToFrozenDictionary(),
        OrderByKinds = FrozenSet<SearchIdentifierKind>.Empty,
        OrderByAttributes = orderBy.ToFrozenDictionary(name => name, name => name, StringComparer.Ordinal),
    };
}
