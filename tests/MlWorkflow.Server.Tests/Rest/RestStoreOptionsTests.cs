using MlWorkflow.Tracking.Stores.Rest;

namespace MlWorkflow.Server.Tests.Rest;

/// <summary>Defaults, MLflow's environment variables, validation and secret redaction of <see cref="RestStoreOptions"/>.</summary>
[TestFixture]
public sealed class RestStoreOptionsTests
{
    private static RestStoreOptions FromVariables(params (string Name, string Value)[] variables)
    {
        var map = variables.ToDictionary(v => v.Name, v => v.Value);
        return RestStoreOptions.FromEnvironment(name => map.GetValueOrDefault(name));
    }

    [Test]
    public void Defaults_are_mlflow_2_19_s()
    {
        var options = FromVariables();

        Assert.That(options.MaxRetries, Is.EqualTo(5));
        Assert.That(options.BackoffFactor, Is.EqualTo(TimeSpan.FromSeconds(2)));
        Assert.That(options.BackoffJitter, Is.EqualTo(TimeSpan.FromSeconds(1)));
        Assert.That(options.RequestTimeout, Is.EqualTo(TimeSpan.FromSeconds(120)));
        Assert.That(options.RespectRetryAfter, Is.True);
        Assert.That(options.Token, Is.Null);
        Assert.That(options.InsecureTls, Is.False);
    }

    [Test]
    public void Environment_variables_set_retries_backoff_timeout_auth_and_tls()
    {
        var options = FromVariables(
            ("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "7"),
            ("MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR", "3"),
            ("MLFLOW_HTTP_REQUEST_BACKOFF_JITTER", "0.5"),
            ("MLFLOW_HTTP_REQUEST_TIMEOUT", "30"),
            ("MLFLOW_HTTP_RESPECT_RETRY_AFTER_HEADER", "False"),
            ("MLFLOW_TRACKING_TOKEN", "tok"),
            ("MLFLOW_TRACKING_USERNAME", "bob"),
            ("MLFLOW_TRACKING_PASSWORD", "pw"),
            ("MLFLOW_TRACKING_INSECURE_TLS", "1"));

        Assert.That(options.MaxRetries, Is.EqualTo(7));
        Assert.That(options.BackoffFactor, Is.EqualTo(TimeSpan.FromSeconds(3)));
        Assert.That(options.BackoffJitter, Is.EqualTo(TimeSpan.FromSeconds(0.5)));
        Assert.That(options.RequestTimeout, Is.EqualTo(TimeSpan.FromSeconds(30)));
        Assert.That(options.RespectRetryAfter, Is.False);
        Assert.That(options.Token, Is.EqualTo("tok"));
        Assert.That(options.UsesBasicAuth, Is.True);
        Assert.That(options.InsecureTls, Is.True);
    }

    [TestCase("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "10")]
    [TestCase("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "-1")]
    [TestCase("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "many")]
    [TestCase("MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR", "120")]
    [TestCase("MLFLOW_HTTP_REQUEST_TIMEOUT", "0")]
    [TestCase("MLFLOW_TRACKING_INSECURE_TLS", "yes")]
    public void Invalid_variables_are_named_in_the_error(string name, string value)
    {
        var error = Assert.Throws<MlflowException>(() => FromVariables((name, value)));

        Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That(error.Message, Does.Contain(name).And.Contain(value));
    }

    [Test]
    public void Insecure_tls_with_a_ca_bundle_is_refused()
    {
        var error = Assert.Throws<MlflowException>(() => FromVariables(("MLFLOW_TRACKING_INSECURE_TLS", "true"), ("MLFLOW_TRACKING_SERVER_CERT_PATH", "/etc/ca.pem")));

        Assert.That(error!.Message, Does.Contain("MLFLOW_TRACKING_INSECURE_TLS").And.Contain("MLFLOW_TRACKING_SERVER_CERT_PATH"));
    }

    [Test]
    public void Properties_refuse_values_out_of_range()
    {
        var options = new RestStoreOptions();

        Assert.Throws<ArgumentOutOfRangeException>(() => options.MaxRetries = 10);
        Assert.Throws<ArgumentOutOfRangeException>(() => options.BackoffFactor = TimeSpan.FromSeconds(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => options.RequestTimeout = TimeSpan.Zero);
        Assert.Throws<ArgumentOutOfRangeException>(() => options.OverallTimeout = TimeSpan.FromSeconds(-5));
        Assert.That(options.MaxRetries, Is.EqualTo(5));
    }

    [Test]
    public void ToString_never_shows_a_secret()
    {
        var bearer = new RestStoreOptions { Token = "s3cr3t-token" }.ToString();
        var basic = new RestStoreOptions { Username = "bob", Password = "hunter2-pass", Token = "s3cr3t-token" }.ToString();

        Assert.That(bearer, Does.Contain("bearer ***").And.Not.Contain("s3cr3t-token"));
        Assert.That(basic, Does.Contain("bob").And.Not.Contain("hunter2-pass").And.Not.Contain("s3cr3t-token"));
    }
}
