using MlWorkflow.Tracking.Registry;

namespace MlWorkflow.Tracking.Protocol;

/// <summary>Converts between the registry entities and their REST messages, both ways (used by the client and the server).</summary>
public static class RegistryMapping
{
    /// <summary>A version as MLflow's server writes it: the number as a string, empty strings for an unset description, run and link.</summary>
    public static ModelVersionMessage ToMessage(ModelVersion version) => new()
    {
        Name = version.Name,
        Version = ModelVersionNumber.ToWireString(version.Version),
        CreationTimestamp = version.CreationTimestamp,
        LastUpdatedTimestamp = version.LastUpdatedTimestamp,
        UserId = version.UserId,
        CurrentStage = version.CurrentStage.ToWireName(),
        Description = version.Description ?? string.Empty,
        Source = version.Source,
        RunId = version.RunId ?? string.Empty,
        Status = version.Status.ToWireName(),
        StatusMessage = version.StatusMessage,
        Tags = NullIfEmpty(version.Tags.Select(t => RestMapping.ToMessage(t.Key, t.Value))),
        RunLink = version.RunLink ?? string.Empty,
        Aliases = NullIfEmpty(version.Aliases),
    };

    /// <summary>A version from the wire; empty strings for optional text become null, as the file store reports them.</summary>
    public static ModelVersion ToEntity(ModelVersionMessage message) => new(
        message.Name ?? string.Empty,
        ModelVersionNumber.Parse(message.Version),
        message.CreationTimestamp ?? 0,
        message.LastUpdatedTimestamp ?? 0,
        string.IsNullOrEmpty(message.CurrentStage) ? ModelVersionStage.None : ModelVersionStages.Parse(message.CurrentStage),
        NullIfEmpty(message.Description),
        message.Source ?? string.Empty,
        NullIfEmpty(message.RunId),
        string.IsNullOrEmpty(message.Status) ? ModelVersionStatus.Ready : ParseStatus(message.Status),
        NullIfEmpty(message.StatusMessage),
        (message.Tags ?? []).Select(t => new ModelVersionTag(t.Key ?? string.Empty, t.Value ?? string.Empty)).ToArray(),
        NullIfEmpty(message.RunLink),
        message.Aliases?.ToArray() ?? [],
        NullIfEmpty(message.UserId));

    /// <summary>The message of a registered model (empty lists are omitted).</summary>
    public static RegisteredModelMessage ToMessage(RegisteredModel model) => new()
    {
        Name = model.Name,
        CreationTimestamp = model.CreationTimestamp,
        LastUpdatedTimestamp = model.LastUpdatedTimestamp,
        UserId = model.UserId,
        Description = model.Description,
        LatestVersions = NullIfEmpty(model.LatestVersions.Select(ToMessage)),
        Tags = NullIfEmpty(model.Tags.Select(t => RestMapping.ToMessage(t.Key, t.Value))),
        Aliases = NullIfEmpty(model.Aliases.Select(a => new RegisteredModelAliasMessage { Alias = a.Alias, Version = ModelVersionNumber.ToWireString(a.Version) })),
    };

    /// <summary>The registered model of a message; empty strings for optional text become null.</summary>
    public static RegisteredModel ToEntity(RegisteredModelMessage message) => new(
        message.Name ?? string.Empty,
        message.CreationTimestamp ?? 0,
        message.LastUpdatedTimestamp ?? 0,
        NullIfEmpty(message.Description),
        (message.LatestVersions ?? []).Select(ToEntity).ToArray(),
        (message.Tags ?? []).Select(t => new RegisteredModelTag(t.Key ?? string.Empty, t.Value ?? string.Empty)).ToArray(),
        (message.Aliases ?? []).Select(a => new RegisteredModelAlias(a.Alias ?? string.Empty, ModelVersionNumber.Parse(a.Version))).ToArray(),
        NullIfEmpty(message.UserId));

    /// <summary>A status by name or by proto number (1, 2, 3).</summary>
    public static ModelVersionStatus ParseStatus(string text) => text switch
    {
        "1" => ModelVersionStatus.PendingRegistration,
        "2" => ModelVersionStatus.FailedRegistration,
        "3" => ModelVersionStatus.Ready,
        _ => ModelVersionStages.ParseStatus(text),
    };

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private static List<T>? NullIfEmpty<T>(IEnumerable<T> items)
    {
        var list = items.ToList();
        return list.Count == 0 ? null : list;
    }
}
