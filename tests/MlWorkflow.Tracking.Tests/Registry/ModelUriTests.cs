using MlWorkflow.Tracking.Registry;

namespace MlWorkflow.Tracking.Tests.Registry;

/// <summary>Parsing of models:/ and runs:/ URIs and locations (MLflow's model registry documentation, https://mlflow.org/docs/latest/model-registry.html).</summary>
public class ModelUriTests
{
    [Test]
    public void Version_stage_latest_and_alias_forms_parse()
    {
        var version = ModelUri.Parse("models:/Name/3");
        Assert.That((version.Kind, version.ModelName, version.Version), Is.EqualTo((ModelUriKind.ModelVersion, "Name", (int?)3)));

        var stage = ModelUri.Parse("models:/Name/production");
        Assert.That((stage.Kind, stage.ModelName, stage.Stage), Is.EqualTo((ModelUriKind.ModelStage, "Name", (ModelVersionStage?)ModelVersionStage.Production)));

        Assert.That(ModelUri.Parse("models:/Name/LATEST").Kind, Is.EqualTo(ModelUriKind.LatestModelVersion));

        var alias = ModelUri.Parse("models:/catalog.schema.model@champion");
        Assert.That((alias.Kind, alias.ModelName, alias.Alias), Is.EqualTo((ModelUriKind.ModelAlias, "catalog.schema.model", "champion")));

        var lastAt = ModelUri.Parse("models:/team@x@champion");
        Assert.That((lastAt.ModelName, lastAt.Alias), Is.EqualTo(("team@x", "champion")), "split at the last @");
        Assert.That(version.IsRegistryUri && stage.IsRegistryUri && alias.IsRegistryUri, Is.True);
    }

    [Test]
    public void Runs_uris_parse_into_run_id_and_normalised_path()
    {
        var uri = ModelUri.Parse("runs:/0123456789abcdef0123456789abcdef/model/sub/");
        Assert.That((uri.Kind, uri.RunId, uri.ArtifactPath), Is.EqualTo((ModelUriKind.RunArtifact, "0123456789abcdef0123456789abcdef", "model/sub")));
        Assert.That(ModelUri.Parse("runs:/abc").ArtifactPath, Is.Empty);
        Assert.That(uri.IsRegistryUri, Is.False);
    }

    [TestCase("file:///tmp/model")]
    [TestCase("/tmp/model")]
    [TestCase("relative/model")]
    [TestCase("s3://bucket/model")]
    [TestCase("mlflow-artifacts:/1/abc/artifacts/model")]
    public void Anything_else_is_a_location(string text) =>
        Assert.That(ModelUri.Parse(text).Kind, Is.EqualTo(ModelUriKind.Location));

    [TestCase("models:/Name")]
    [TestCase("models:/Name/1/extra")]
    [TestCase("models:/Name/Prod")]
    [TestCase("models:/Name@")]
    [TestCase("models:/@champion")]
    [TestCase("models://host/Name/1")]
    [TestCase("models:/")]
    [TestCase("models:/Name/99999999999")]
    [TestCase("runs:/")]
    [TestCase("runs:abc/model")]
    [TestCase("runs:/abc/../../etc")]
    [TestCase("runs:/../x")]
    [TestCase("")]
    [TestCase(" ")]
    public void Malformed_uris_are_invalid_parameters_that_say_why(string text)
    {
        var error = Assert.Throws<MlflowException>(() => ModelUri.Parse(text))!;
        Assert.That(error.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That(error.Message, Is.Not.Empty);
    }

    [Test]
    public void An_unknown_stage_names_the_valid_ones()
    {
        var error = Assert.Throws<MlflowException>(() => ModelUri.Parse("models:/Name/Prod"))!;
        Assert.That(error.Message, Does.Contain("'Prod'").And.Contain("None, Staging, Production, Archived"));
    }

    [TestCase("3", 3)]
    [TestCase(" 12 ", 12)]
    public void Version_numbers_parse_from_the_wire(string text, int expected)
    {
        Assert.That(ModelVersionNumber.Parse(text), Is.EqualTo(expected));
        Assert.That(ModelVersionNumber.ToWireString(expected), Is.EqualTo(text.Trim()));
    }

    [TestCase("x")]
    [TestCase("1.5")]
    [TestCase("0")]
    [TestCase(null)]
    public void Bad_version_numbers_say_what_mlflow_says(string? text)
    {
        var error = Assert.Throws<MlflowException>(() => ModelVersionNumber.Parse(text))!;
        Assert.That(error.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That(error.Message, Does.StartWith("Model version must be"));
    }
}
