namespace MlWorkflow.Cli.Tests;

/// <summary>mlw's start-up profile (multicore JIT): written per command where it is told, in the cache folder by default, never when off, and never in the way.</summary>
public sealed class StartupJitProfileTests
{
    private TemporaryDirectory _directory = null!;
    private string _store = null!;

    [SetUp]
    public void CreateStore()
    {
        _directory = new TemporaryDirectory();
        _store = _directory.Combine("mlruns");
        Directory.CreateDirectory(_store);
    }

    [TearDown]
    public void DeleteStore() => _directory.Dispose();

    private Task<MlwResult> SearchAsync(Dictionary<string, string?> environment) =>
        Mlw.RunAsync(_directory.Path, environment, "experiments", "search", "--tracking-uri", _store);

    [Test]
    public async Task Each_command_records_its_profile_in_the_folder_it_is_given_and_a_second_start_with_it_works()
    {
        var folder = _directory.Combine("profiles");

        var first = await SearchAsync(new() { ["MLW_JIT_PROFILE"] = folder });
        var profile = Path.Combine(folder, "experiments-search.jitprofile");
        var recorded = new FileInfo(profile).Length;
        var second = await SearchAsync(new() { ["MLW_JIT_PROFILE"] = folder });

        Assert.That(first.ExitCode, Is.Zero, first.ToString());
        Assert.That(recorded, Is.GreaterThan(0), "the first start-up's profile");
        Assert.That(second.ExitCode, Is.Zero, second.ToString());
        Assert.That(second.Stdout, Is.EqualTo(first.Stdout));
        Assert.That(Directory.GetFiles(folder).Select(Path.GetFileName), Is.EqualTo(new[] { "experiments-search.jitprofile" }));
    }

    [Test]
    public async Task By_default_the_profile_is_in_the_user_cache_folder_one_folder_per_build()
    {
        var cache = _directory.Combine("cache");

        var result = await SearchAsync(new() { ["MLW_JIT_PROFILE"] = null, ["XDG_CACHE_HOME"] = cache });

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var builds = Directory.GetDirectories(Path.Combine(cache, "mlw", "jit"));
        Assert.That(builds.Select(Path.GetFileName), Has.Exactly(1).Matches<string?>(b => b is not null && b.Length == 12 && b.All(char.IsAsciiHexDigitLower)));
        Assert.That(File.Exists(Path.Combine(builds[0], "experiments-search.jitprofile")), Is.True);
    }

    [Test]
    public async Task Off_writes_nothing_and_an_unwritable_folder_is_skipped()
    {
        var cache = _directory.Combine("cache");
        var notAFolder = _directory.Combine("a-file");
        await File.WriteAllTextAsync(notAFolder, "not a folder");

        var off = await SearchAsync(new() { ["MLW_JIT_PROFILE"] = "off", ["XDG_CACHE_HOME"] = cache });
        var blocked = await SearchAsync(new() { ["MLW_JIT_PROFILE"] = notAFolder });

        Assert.That(off.ExitCode, Is.Zero, off.ToString());
        Assert.That(Directory.Exists(cache), Is.False, "nothing written when off");
        Assert.That(blocked.ExitCode, Is.Zero, blocked.ToString());
        Assert.That(blocked.Stderr, Is.Empty);
        Assert.That(await File.ReadAllTextAsync(notAFolder), Is.EqualTo("not a folder"));
    }

    [Test]
    public async Task A_damaged_profile_is_ignored_and_replaced()
    {
        var folder = _directory.Combine("profiles");
        Directory.CreateDirectory(folder);
        var profile = Path.Combine(folder, "experiments-search.jitprofile");
        var garbage = new byte[5000];
        new Random(7).NextBytes(garbage);
        await File.WriteAllBytesAsync(profile, garbage);

        var result = await SearchAsync(new() { ["MLW_JIT_PROFILE"] = folder });

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stdout, Does.Contain("Default"));
        Assert.That(await File.ReadAllBytesAsync(profile), Is.Not.EqualTo(garbage), "the start-up wrote its own profile over the damaged one");
    }
}
