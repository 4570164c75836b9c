using System.Globalization;
using MlWorkflow.Tracking.Registry;

namespace MlWorkflow.Tracking.Stores.File;

/// <summary>
/// A model version as the file store keeps it in <c>version-&lt;n&gt;/meta.yaml</c>: the entity's fields plus
/// <c>storage_location</c> and the raw stage word, which may be <c>Deleted_Internal</c> (a soft-deleted version).
/// </summary>
internal sealed record StoredModelVersion(
    string Name,
    int Version,
    long CreationTimestamp,
    long LastUpdatedTimestamp,
    string Stage,
    string? Description,
    string Source,
    string? RunId,
    string? RunLink,
    string Status,
    string? StatusMessage,
    string StorageLocation,
    string? UserId)
{
    /// <summary>The stage word of a soft-deleted version, hidden from every API.</summary>
    public const string DeletedStage = "Deleted_Internal";

    /// <summary>Whether the version was deleted.</summary>
    public bool IsDeleted => Stage == DeletedStage;

    /// <summary>The meta.yaml fields, in MLflow's names (the writer sorts them).</summary>
    public IEnumerable<KeyValuePair<string, object?>> ToMetaFields() =>
    [
        new("aliases", Stores.File.MetaYamlWriter.EmptyList),
        new("creation_timestamp", CreationTimestamp),
        new("current_stage", Stage),
        new("description", Description),
        new("last_updated_timestamp", LastUpdatedTimestamp),
        new("name", Name),
        new("run_id", RunId),
        new("run_link", RunLink),
        new("source", Source),
        new("status", Status),
        new("status_message", StatusMessage),
        new("storage_location", StorageLocation),
        new("user_id", UserId),
        new("version", (long)Version),
    ];

    /// <summary>Reads the fields of a parsed meta.yaml.</summary>
    /// <exception cref="FormatException">A required field is missing or malformed.</exception>
    public static StoredModelVersion FromMeta(Stores.File.MetaYamlDocument meta, string where)
    {
        var version = meta.GetInt64("version") ?? throw new FormatException($"'{where}' has no integer 'version'.");
        var source = meta.GetString("source") ?? string.Empty;
        return new StoredModelVersion(
            meta.GetString("name") ?? throw new FormatException($"'{where}' has no 'name'."),
            checked((int)version),
            meta.GetInt64("creation_timestamp") ?? 0,
            meta.GetInt64("last_updated_timestamp") ?? meta.GetInt64("creation_timestamp") ?? 0,
            meta.GetString("current_stage") ?? "None",
            meta.GetString("description"),
            source,
            meta.GetString("run_id"),
            meta.GetString("run_link"),
            meta.GetString("status") ?? "READY",
            meta.GetString("status_message"),
            meta.GetString("storage_location") ?? source,
            meta.GetString("user_id"));
    }

    /// <summary>The public entity, with the tags and aliases read from their folders.</summary>
    /// <exception cref="FormatException">The stage or status word is not one of MLflow's.</exception>
    public ModelVersion ToEntity(IReadOnlyList<ModelVersionTag> tags, IReadOnlyList<string> aliases)
    {
        if (!ModelVersionStages.TryParse(Stage, out var stage))
        {
            throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"Model version {Name} {Version} has the unknown stage '{Stage}'."));
        }

        var status = Status switch
        {
            "READY" => ModelVersionStatus.Ready,
            "PENDING_REGISTRATION" => ModelVersionStatus.PendingRegistration,
            "FAILED_REGISTRATION" => ModelVersionStatus.FailedRegistration,
            _ => throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"Model version {Name} {Version} has the unknown status '{Status}'.")),
        };
        return new ModelVersion(
            Name, Version, CreationTimestamp, LastUpdatedTimestamp, stage, Description, Source, RunId, status, StatusMessage, tags, RunLink, aliases, UserId);
    }
}
