using MlWorkflow.Tracking.Tests.Artifacts;

namespace MlWorkflow.Tracking.Tests.Client;

public class GitRepositoryTests
{
    private const string Sha = "0123456789abcdef0123456789abcdef01234567";

    [Test]
    public void Reads_a_loose_branch_ref_from_a_subfolder()
    {
        using var temp = new TemporaryDirectory();
        Directory.CreateDirectory(temp.Combine(".git", "refs", "heads"));
        File.WriteAllText(temp.Combine(".git", "HEAD"), "ref: refs/heads/main\n");
        File.WriteAllText(temp.Combine(".git", "refs", "heads", "main"), Sha + "\n");
        Directory.CreateDirectory(temp.Combine("src", "app"));

        Assert.That(GitRepository.FindCommit(temp.Combine("src", "app")), Is.EqualTo(Sha));
    }

    [Test]
    public void Reads_packed_refs_and_a_detached_head()
    {
        using var temp = new TemporaryDirectory();
        Directory.CreateDirectory(temp.Combine(".git"));
        File.WriteAllText(temp.Combine(".git", "HEAD"), "ref: refs/heads/release\n");
        File.WriteAllText(temp.Combine(".git", "packed-refs"), $"# pack-refs with: peeled\n{Sha} refs/heads/release\n");
        Assert.That(GitRepository.FindCommit(temp.Path), Is.EqualTo(Sha));

        File.WriteAllText(temp.Combine(".git", "HEAD"), Sha.ToUpperInvariant() + "\n");
        Assert.That(GitRepository.FindCommit(temp.Path), Is.EqualTo(Sha.ToUpperInvariant()));
    }

    [Test]
    public void Outside_a_repository_there_is_no_commit()
    {
        using var temp = new TemporaryDirectory();
        Assert.That(GitRepository.FindCommit(temp.Path), Is.Null);
    }
}
