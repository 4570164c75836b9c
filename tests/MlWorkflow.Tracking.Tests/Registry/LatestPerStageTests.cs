using MlWorkflow.Tracking.Registry;

namespace MlWorkflow.Tracking.Tests.Registry;

/// <summary>MLflow's latest versions, one rule for the file and SQL stores: the highest version of each stage, in the order asked.</summary>
[TestFixture]
public sealed class LatestPerStageTests
{
    [Test]
    public void The_highest_version_of_each_stage_comes_in_the_order_of_the_stages_asked()
    {
        (string Stage, int Version)[] versions =
            [("Production", 1), ("None", 2), ("Production", 4), ("Staging", 3), ("Production", 2), ("Deleted_Internal", 9), ("production", 5)];

        var all = ModelVersionStages.LatestPerStage(versions, v => v.Stage, v => v.Version, ModelVersionStages.All);
        var asked = ModelVersionStages.LatestPerStage(versions, v => v.Stage, v => v.Version, [ModelVersionStage.Staging, ModelVersionStage.Archived, ModelVersionStage.Staging, ModelVersionStage.None]);

        Assert.That(all, Is.EqualTo(new[] { ("None", 2), ("Staging", 3), ("production", 5) }), "a stage word counts case-insensitively, as MLflow reads it; an unknown one never");
        Assert.That(asked, Is.EqualTo(new[] { ("Staging", 3), ("None", 2) }), "each stage once, none for a stage without versions");
    }
}
