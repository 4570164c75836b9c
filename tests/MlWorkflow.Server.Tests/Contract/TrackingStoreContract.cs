using static MlWorkflow.Server.Tests.MlflowAssert;
namespace MlWorkflow.Server.Tests.Contract;

/// <summary>
/// The behaviour every <see cref="ITrackingStore"/> shares, call for call: run against the file store directly and against
/// the REST store through MlWorkflow's server, so that both answer the same values and the same error codes.
/// </summary>
public abstract partial class TrackingStoreContract
{
    private const long T0 = 1_700_000_000_000;
    private TemporaryDirectory _directory = null!;

    /// <summary>The store under test, fresh for each test.</summary>
    protected ITrackingStore Store { get; private set; } = null!;

    [SetUp]
    public async Task CreateStore()
    {
        _directory = new TemporaryDirectory();
        Store = await CreateStoreAsync(_directory.Combine("mlruns"));
    }

    [TearDown]
    public void DeleteStore() => _directory.Dispose();

    /// <summary>Creates the store under test over a file store rooted at <paramref name="root"/>.</summary>
    protected abstract Task<ITrackingStore> CreateStoreAsync(string root);

    private async Task<(string ExperimentId, Run Run)> NewRunAsync(string? runName = null, string experimentName = "exp")
    {
        var experimentId = await Store.GetExperimentByNameAsync(experimentName) is { } existing
            ? existing.ExperimentId
            : await Store.CreateExperimentAsync(experimentName);
        var run = await Store.CreateRunAsync(new CreateRunRequest { ExperimentId = experimentId, RunName = runName, StartTime = T0, UserId = "alice" });
        return (experimentId, run);
    }

    [Test]
    public async Task Created_experiment_reads_back_with_its_name_tags_and_stage()
    {
        var id = await Store.CreateExperimentAsync("sales", tags: [new ExperimentTag("team", "ml"), new ExperimentTag("note", "é ü 数")]);

        var experiment = await Store.GetExperimentAsync(id);

        Assert.That(experiment.ExperimentId, Is.EqualTo(id));
        Assert.That(experiment.Name, Is.EqualTo("sales"));
        Assert.That(experiment.LifecycleStage, Is.EqualTo(LifecycleStage.Active));
        Assert.That(experiment.GetTag("team"), Is.EqualTo("ml"));
        Assert.That(experiment.GetTag("note"), Is.EqualTo("é ü 数"));
        Assert.That(experiment.CreationTime, Is.GreaterThan(0));
        Assert.That(experiment.ArtifactLocation, Does.EndWith("/" + id));
    }

    [Test]
    public async Task Default_experiment_exists()
    {
        var experiment = await Store.GetExperimentAsync(Experiment.DefaultExperimentId);

        Assert.That(experiment.Name, Is.EqualTo(Experiment.DefaultExperimentName));
    }

    [Test]
    public async Task Duplicate_experiment_name_is_resource_already_exists()
    {
        await Store.CreateExperimentAsync("dup");

        var error = await Fails(() => Store.CreateExperimentAsync("dup"));

        Assert.That(error.ErrorCode, Is.EqualTo(ErrorCode.ResourceAlreadyExists));
    }

    [TestCase("runs:/")]
    [TestCase("s3://bucket/#")]
    public async Task An_artifact_location_that_names_no_storage_is_invalid_parameter_quoted_short(string start)
    {
        var location = start + new string('a', 5000);

        var error = await Fails(() => Store.CreateExperimentAsync("e", location));

        Assert.That(error.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That(error.Message, Does.Contain("'" + start).And.Length.LessThan(400), "quoted, not echoed whole");
        Assert.That(await Store.GetExperimentByNameAsync("e"), Is.Null, "nothing was created");
    }

    [Test]
    public async Task Empty_experiment_name_is_invalid_parameter()
    {
        var error = await Fails(() => Store.CreateExperimentAsync(string.Empty));

        Assert.That(error.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
    }

    [Test]
    public async Task Unknown_experiment_id_is_resource_does_not_exist()
    {
        var error = await Fails(() => Store.GetExperimentAsync("424242"));

        Assert.That(error.ErrorCode, Is.EqualTo(ErrorCode.ResourceDoesNotExist));
    }

    [Test]
    public async Task Experiment_by_name_is_found_or_null()
    {
        var id = await Store.CreateExperimentAsync("by-name");

        Assert.That((await Store.GetExperimentByNameAsync("by-name"))?.ExperimentId, Is.EqualTo(id));
        Assert.That(await Store.GetExperimentByNameAsync("no-such-experiment"), Is.Null);
    }

    [Test]
    public async Task Rename_changes_the_name_and_refuses_a_taken_one()
    {
        var id = await Store.CreateExperimentAsync("old");
        await Store.CreateExperimentAsync("taken");

        await Store.RenameExperimentAsync(id, "new");
        var error = await Fails(() => Store.RenameExperimentAsync(id, "taken"));

        Assert.That((await Store.GetExperimentAsync(id)).Name, Is.EqualTo("new"));
        Assert.That(error.ErrorCode, Is.EqualTo(ErrorCode.ResourceAlreadyExists));
    }

    [Test]
    public async Task Delete_and_restore_experiment_switch_its_stage_and_search_view()
    {
        var id = await Store.CreateExperimentAsync("to-delete");

        await Store.DeleteExperimentAsync(id);
        var deleted = await Store.GetExperimentAsync(id);
        var active = await Store.SearchExperimentsAsync(new SearchExperimentsRequest());
        var deletedOnly = await Store.SearchExperimentsAsync(new SearchExperimentsRequest { ViewType = ViewType.DeletedOnly });
        await Store.RestoreExperimentAsync(id);

        Assert.That(deleted.LifecycleStage, Is.EqualTo(LifecycleStage.Deleted));
        Assert.That(active.Items.Select(e => e.ExperimentId), Does.Not.Contain(id));
        Assert.That(deletedOnly.Items.Select(e => e.ExperimentId), Is.EqualTo(new[] { id }));
        Assert.That((await Store.GetExperimentAsync(id)).LifecycleStage, Is.EqualTo(LifecycleStage.Active));
    }

    [Test]
    public async Task Deleting_the_default_experiment_is_refused()
    {
        var error = await Fails(() => Store.DeleteExperimentAsync(Experiment.DefaultExperimentId));

        // A client mistake: 400 INVALID_PARAMETER_VALUE from the store itself (issue 10.7); MLflow's own file store raises it as INTERNAL_ERROR.
        Assert.That(error.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That((await Store.GetExperimentAsync(Experiment.DefaultExperimentId)).LifecycleStage, Is.EqualTo(LifecycleStage.Active));
    }

    [Test]
    public async Task Experiment_tag_is_overwritten()
    {
        var id = await Store.CreateExperimentAsync("tagged");

        await Store.SetExperimentTagAsync(id, new ExperimentTag("mlflow.note.content", "first"));
        await Store.SetExperimentTagAsync(id, new ExperimentTag("mlflow.note.content", "second"));

        Assert.That((await Store.GetExperimentAsync(id)).GetTag("mlflow.note.content"), Is.EqualTo("second"));
    }

    [Test]
    public async Task Experiment_search_filters_orders_and_pages()
    {
        foreach (var name in new[] { "sales-c", "sales-a", "other", "sales-b", "sales-d" })
        {
            await Store.CreateExperimentAsync(name, tags: [new ExperimentTag("team", name.StartsWith("sales", StringComparison.Ordinal) ? "s" : "o")]);
        }

        var names = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await Store.SearchExperimentsAsync(new SearchExperimentsRequest { Filter = "name LIKE 'sales%' AND tags.team = 's'", OrderBy = ["name ASC"], MaxResults = 2, PageToken = token });
            names.AddRange(page.Items.Select(e => e.Name));
            token = page.NextPageToken;
            pages++;
        }
        while (token is not null && pages < 10);

        Assert.That(names, Is.EqualTo(new[] { "sales-a", "sales-b", "sales-c", "sales-d" }));
        Assert.That(pages, Is.EqualTo(2).Or.EqualTo(3));
    }

    [Test]
    public async Task Experiment_search_with_a_bad_filter_is_invalid_parameter()
    {
        var error = await Fails(() => Store.SearchExperimentsAsync(new SearchExperimentsRequest { Filter = "name ~~ 'x'" }));

        Assert.That(error.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
    }

    [Test]
    public async Task Experiment_search_with_zero_max_results_is_invalid_parameter()
    {
        var error = await Fails(() => Store.SearchExperimentsAsync(new SearchExperimentsRequest { MaxResults = 0 }));

        Assert.That(error.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
    }
}
