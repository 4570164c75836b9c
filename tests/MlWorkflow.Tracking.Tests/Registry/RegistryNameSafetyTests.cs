using MlWorkflow.Tracking.Registry;

namespace MlWorkflow.Tracking.Tests.Registry;

/// <summary>No model name can leave the registry folder, whatever operation takes it.</summary>
public class RegistryNameSafetyTests : RegistryTestFixture
{
    private static readonly string[] UnsafeNames =
    [
        "", "..", ".", "../escape", "a/b", "/abs", "a\\b", "..\\escape", "C:\\x", "100%", "%2e%2e", "nul\u0000byte", "line\nbreak", "tab\tname", " lead", "trail ", "dot.",
    ];

    private static IEnumerable<string> Names() => UnsafeNames;

    [TestCaseSource(nameof(Names))]
    public async Task Every_operation_refuses_the_name_and_writes_nothing_outside(string name)
    {
        var registry = OpenRegistry();
        var acts = new Func<Task>[]
        {
            () => registry.CreateRegisteredModelAsync(name),
            () => registry.GetRegisteredModelAsync(name),
            () => registry.UpdateRegisteredModelAsync(name, "d"),
            () => registry.DeleteRegisteredModelAsync(name),
            () => registry.SetRegisteredModelTagAsync(name, new RegisteredModelTag("k", "v")),
            () => registry.SetRegisteredModelAliasAsync(name, "a", 1),
            () => registry.CreateModelVersionAsync(new CreateModelVersionRequest(name, "file:///x")),
            () => registry.GetModelVersionAsync(name, 1),
            () => registry.TransitionModelVersionStageAsync(name, 1, ModelVersionStage.Production, false),
            () => registry.GetLatestVersionsAsync(name),
        };
        foreach (var act in acts)
        {
            Assert.That(await CodeOf(act), Is.EqualTo(ErrorCode.InvalidParameterValue));
        }

        Assert.That(Directory.EnumerateFileSystemEntries(TempDirectory, "*", SearchOption.AllDirectories).Where(p => !p.Contains(Path.Combine(Root, "models"), StringComparison.Ordinal) && p != Root), Is.Empty);
        if (Directory.Exists(Path.Combine(Root, "models")))
        {
            Assert.That(Directory.EnumerateDirectories(Path.Combine(Root, "models")), Is.Empty);
        }
    }

    [Test]
    public async Task Renaming_to_an_unsafe_name_is_refused_and_the_model_stays()
    {
        var registry = await RegistryWithVersionsAsync("safe", 1);
        foreach (var name in UnsafeNames)
        {
            Assert.That(await CodeOf(() => registry.RenameRegisteredModelAsync("safe", name)), Is.EqualTo(ErrorCode.InvalidParameterValue), name);
        }

        Assert.That((await registry.GetModelVersionAsync("safe", 1)).Source, Is.EqualTo("file:///src/1"));
    }

    [Test]
    public void Models_uris_with_unsafe_names_are_refused()
    {
        foreach (var uri in new[] { "models:/../1", "models:/..@champion", "models:/a%2Fb/1", "models:/a\\b/1" })
        {
            Assert.That(Assert.Throws<MlflowException>(() => ModelUri.Parse(uri))!.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue), uri);
        }
    }

    [Test]
    public async Task Names_with_dots_spaces_and_unicode_are_fine()
    {
        var registry = OpenRegistry();
        foreach (var name in new[] { "catalog.schema.model", "my model", "modèle-ü", ".hidden", "a..b" })
        {
            await registry.CreateRegisteredModelAsync(name);
            Assert.That((await registry.GetRegisteredModelAsync(name)).Name, Is.EqualTo(name));
            Assert.That(Directory.Exists(Path.Combine(Root, "models", name)), Is.True);
        }
    }
}
