using static MlWorkflow.Server.Tests.MlflowAssert;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using MlWorkflow.Tracking.Stores.Rest;
using Polly;

namespace MlWorkflow.Server.Tests.Transport;

/// <summary>
/// HTTPS end to end: a server on a certificate issued by a CA made in the test, and REST clients that trust the system store
/// (and fail), the CA bundle (and work), or nothing (insecure, and work).
/// </summary>
public sealed class TlsTests
{
    private const long T0 = 1_700_000_000_000;
    private const string ServerCertPathVariable = "MLFLOW_TRACKING_SERVER_CERT_PATH";

    private TestCertificates _authority = null!;
    private TestCertificates _otherAuthority = null!;
    private X509Certificate2 _loopbackCertificate = null!;
    private TemporaryDirectory _directory = null!;
    private string _bundlePath = null!;

    [OneTimeSetUp]
    public void CreateCertificates()
    {
        _authority = TestCertificates.CreateAuthority("MlWorkflow Test CA");
        _otherAuthority = TestCertificates.CreateAuthority("Some Other CA");
        _loopbackCertificate = _authority.IssueLoopbackCertificate();
    }

    [OneTimeTearDown]
    public void DisposeCertificates()
    {
        _loopbackCertificate.Dispose();
        _otherAuthority.Dispose();
        _authority.Dispose();
    }

    [SetUp]
    public void CreateDirectory()
    {
        _directory = new TemporaryDirectory();
        _bundlePath = _directory.Combine("ca-bundle.pem");
        File.WriteAllText(_bundlePath, _authority.AuthorityPem);
    }

    [TearDown]
    public void DeleteDirectory() => _directory.Dispose();

    [Test]
    public async Task A_server_with_a_certificate_listens_on_https()
    {
        await using var server = await StartAsync(_loopbackCertificate);

        Assert.That(server.Uri.Scheme, Is.EqualTo(Uri.UriSchemeHttps));
        Assert.That(server.Uri.Host, Is.EqualTo("127.0.0.1"));
    }

    [Test]
    public async Task A_client_that_trusts_only_the_system_store_fails_at_once_with_a_certificate_error()
    {
        await using var server = await StartAsync(_loopbackCertificate);
        using var store = new RestTrackingStore(server.Uri, FastRetries.Options(maxRetries: 2));

        var error = await Fails(() => store.CreateExperimentAsync("never"));

        Assert.That(error.ErrorCode, Is.EqualTo(ErrorCode.Unauthenticated));
        Assert.That(error.Message, Does.Contain("TLS certificate validation of the server failed"));
        Assert.That(error.Message, Does.Contain(ServerCertPathVariable));
        Assert.That(error.Message, Does.Contain(server.Uri.ToString().TrimEnd('/')));

        // The failure is a rejected certificate, which a retry cannot fix: the retry policy gives up on it.
        var cause = (HttpRequestException)error.InnerException!;
        Assert.That(RestTransport.IsCertificateRejection(cause), Is.True);
        Assert.That(RestRetryPolicy.ShouldRetry(Outcome.FromException<HttpResponseMessage>(cause)), Is.False);
    }

    [Test]
    public async Task A_client_with_the_ca_bundle_creates_an_experiment_and_a_run_logs_a_batch_and_reads_it_back()
    {
        await using var server = await StartAsync(_loopbackCertificate);
        var options = FastRetries.Options();
        options.ServerCertPath = _bundlePath;
        using var store = new RestTrackingStore(server.Uri, options);

        await AssertRoundTripAsync(store);
    }

    [Test]
    public async Task The_ca_bundle_replaces_the_trust_store_so_a_certificate_from_another_ca_is_rejected()
    {
        using var foreign = _otherAuthority.IssueLoopbackCertificate();
        await using var server = await StartAsync(foreign);
        var options = FastRetries.Options();
        options.ServerCertPath = _bundlePath;
        using var store = new RestTrackingStore(server.Uri, options);

        var error = await Fails(() => store.CreateExperimentAsync("never"));

        Assert.That(error.ErrorCode, Is.EqualTo(ErrorCode.Unauthenticated));
        Assert.That(error.Message, Does.Contain("certificate chain").Or.Contain("UntrustedRoot").Or.Contain("PartialChain"));
        Assert.That(error.Message, Does.Contain(_bundlePath));
    }

    [Test]
    public async Task The_ca_bundle_still_checks_the_host_name()
    {
        using var elsewhere = _authority.IssueServerCertificate(["tracking.example.com"], []);
        await using var server = await StartAsync(elsewhere);
        var options = FastRetries.Options();
        options.ServerCertPath = _bundlePath;
        using var store = new RestTrackingStore(server.Uri, options);

        var error = await Fails(() => store.CreateExperimentAsync("never"));

        Assert.That(error.ErrorCode, Is.EqualTo(ErrorCode.Unauthenticated));
        Assert.That(error.Message, Does.Contain("RemoteCertificateNameMismatch"));
    }

    [Test]
    public async Task An_insecure_client_accepts_any_certificate()
    {
        using var foreign = _otherAuthority.IssueServerCertificate(["tracking.example.com"], []);
        await using var server = await StartAsync(foreign);
        var options = FastRetries.Options();
        options.InsecureTls = true;
        using var store = new RestTrackingStore(server.Uri, options);

        await AssertRoundTripAsync(store);
    }

    [Test]
    public void A_ca_bundle_together_with_insecure_tls_is_refused()
    {
        var options = FastRetries.Options();
        options.InsecureTls = true;
        options.ServerCertPath = _bundlePath;

        var error = Assert.Throws<MlflowException>(() => new RestTrackingStore(new Uri("https://127.0.0.1:5000"), options).Dispose());

        Assert.That(error.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That(error.Message, Does.Contain("MLFLOW_TRACKING_INSECURE_TLS and MLFLOW_TRACKING_SERVER_CERT_PATH cannot both be set"));
    }

    [Test]
    public void A_ca_bundle_without_certificates_is_refused()
    {
        var empty = _directory.Combine("empty.pem");
        File.WriteAllText(empty, "not a certificate\n");
        var options = FastRetries.Options();
        options.ServerCertPath = empty;

        var error = Assert.Throws<MlflowException>(() => new RestTrackingStore(new Uri("https://127.0.0.1:5000"), options).Dispose());

        Assert.That(error.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That(error.Message, Does.Contain("holds no PEM certificate"));
    }

    [Test]
    [NonParallelizable]
    public async Task The_ca_bundle_comes_from_MLFLOW_TRACKING_SERVER_CERT_PATH()
    {
        await using var server = await StartAsync(_loopbackCertificate);
        var saved = Environment.GetEnvironmentVariable(ServerCertPathVariable);
        try
        {
            Environment.SetEnvironmentVariable(ServerCertPathVariable, _bundlePath);
            var options = RestStoreOptions.FromEnvironment();
            Assert.That(options.ServerCertPath, Is.EqualTo(_bundlePath));
            options.MaxRetries = 1;
            using var store = new RestTrackingStore(server.Uri, options);

            await AssertRoundTripAsync(store);
        }
        finally
        {
            Environment.SetEnvironmentVariable(ServerCertPathVariable, saved);
        }
    }

    [Test]
    public async Task No_password_or_token_appears_in_the_error_of_a_tls_failure()
    {
        await using var server = await StartAsync(_loopbackCertificate);
        const string Password = "pa55-w0rd-XYZZY";
        const string Token = "tok-PLUGH-123";
        const string UriPassword = "uri-secret-FROB";
        var withUserInfo = new UriBuilder(server.Uri) { UserName = "alice", Password = UriPassword }.Uri;
        var basic = FastRetries.Options(maxRetries: 1);
        basic.Username = "alice";
        basic.Password = Password;
        var bearer = FastRetries.Options(maxRetries: 1);
        bearer.Token = Token;

        foreach (var options in new[] { basic, bearer })
        {
            using var store = new RestTrackingStore(withUserInfo, options);
            var error = await Fails(() => store.CreateExperimentAsync("never"));

            var everything = Describe(error);
            Assert.That(error.Message, Does.Contain("TLS certificate validation"));
            Assert.That(everything, Does.Not.Contain(Password));
            Assert.That(everything, Does.Not.Contain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("alice:" + Password))));
            Assert.That(everything, Does.Not.Contain(Token));
            Assert.That(everything, Does.Not.Contain(UriPassword));
        }
    }

    [Test]
    public async Task A_server_reads_its_certificate_from_a_password_protected_pkcs12_file()
    {
        var pfx = _directory.Combine("server.pfx");
        await File.WriteAllBytesAsync(pfx, _loopbackCertificate.Export(X509ContentType.Pkcs12, "pfx-pass"));
        await using var server = await TrackingServer.StartAsync(new TrackingServerOptions
        {
            BackendStoreUri = _directory.Combine("mlruns"),
            Port = 0,
            CertificatePath = pfx,
            CertificatePassword = "pfx-pass",
        });
        var options = FastRetries.Options();
        options.ServerCertPath = _bundlePath;
        using var store = new RestTrackingStore(server.Uri, options);

        await AssertRoundTripAsync(store);
    }

    [Test]
    public async Task A_server_reads_its_certificate_from_pem_files()
    {
        var certificatePem = _directory.Combine("server.crt");
        var keyPem = _directory.Combine("server.key");
        await File.WriteAllTextAsync(certificatePem, _loopbackCertificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyPem, _loopbackCertificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        await using var server = await TrackingServer.StartAsync(new TrackingServerOptions
        {
            BackendStoreUri = _directory.Combine("mlruns"),
            Port = 0,
            CertificatePath = certificatePem,
            CertificateKeyPath = keyPem,
        });
        var options = FastRetries.Options();
        options.ServerCertPath = _bundlePath;
        using var store = new RestTrackingStore(server.Uri, options);

        await AssertRoundTripAsync(store);
    }

    [Test]
    public async Task A_wrong_pkcs12_password_fails_the_start_without_showing_the_password()
    {
        var pfx = _directory.Combine("server.pfx");
        await File.WriteAllBytesAsync(pfx, _loopbackCertificate.Export(X509ContentType.Pkcs12, "right-pass"));
        var options = new TrackingServerOptions { BackendStoreUri = _directory.Combine("mlruns"), Port = 0, CertificatePath = pfx, CertificatePassword = "wrong-pass-QUUX" };

        var error = (await Assert.ThrowsAsync<ArgumentException>(() => TrackingServer.StartAsync(options)))!;

        Assert.That(error.Message, Does.Contain("Cannot read the server's PKCS#12 certificate").And.Contain(pfx));
        Assert.That(Describe(error), Does.Not.Contain("wrong-pass-QUUX"));
    }

    [Test]
    public void A_certificate_without_its_private_key_given_twice_or_missing_is_refused()
    {
        using var publicOnly = X509CertificateLoader.LoadCertificate(_loopbackCertificate.RawData);
        var noKey = new TrackingServerOptions { BackendStoreUri = _directory.Combine("mlruns"), Port = 0, Certificate = publicOnly };
        var twice = new TrackingServerOptions { BackendStoreUri = _directory.Combine("mlruns"), Port = 0, Certificate = _loopbackCertificate, CertificatePath = "server.pfx" };

        Assert.That(() => TrackingServer.StartAsync(noKey), Throws.ArgumentException.With.Message.Contains("has no private key"));
        Assert.That(() => TrackingServer.StartAsync(twice), Throws.ArgumentException.With.Message.Contains("cannot both be set"));
        var missing = new TrackingServerOptions { BackendStoreUri = _directory.Combine("mlruns"), Port = 0, CertificatePath = _directory.Combine("absent.pfx") };
        Assert.That(() => TrackingServer.StartAsync(missing), Throws.ArgumentException.With.Message.Contains("absent.pfx' does not exist"));
    }

    private static async Task AssertRoundTripAsync(RestTrackingStore store)
    {
        var experimentId = await store.CreateExperimentAsync("tls-" + Guid.NewGuid().ToString("N"));
        var run = await store.CreateRunAsync(new CreateRunRequest { ExperimentId = experimentId, StartTime = T0 });
        await store.LogBatchAsync(run.Info.RunId, [new Metric("loss", 0.25, T0, 3)], [new Param("depth", "4")], [new RunTag("transport", "https")]);

        var read = await store.GetRunAsync(run.Info.RunId);

        Assert.That(read.Info.ExperimentId, Is.EqualTo(experimentId));
        Assert.That(read.Data.GetMetric("loss")?.Value, Is.EqualTo(0.25));
        Assert.That(read.Data.Params.Single(p => p.Key == "depth").Value, Is.EqualTo("4"));
        Assert.That(read.Data.Tags.Single(t => t.Key == "transport").Value, Is.EqualTo("https"));
    }

    private static string Describe(Exception error)
    {
        var text = new System.Text.StringBuilder();
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            text.AppendLine(e.Message);
        }

        return text.Append(error).ToString();
    }

    private Task<TrackingServer> StartAsync(X509Certificate2 certificate) =>
        TrackingServer.StartAsync(new TrackingServerOptions { BackendStoreUri = _directory.Combine("mlruns"), Port = 0, Certificate = certificate });
}
