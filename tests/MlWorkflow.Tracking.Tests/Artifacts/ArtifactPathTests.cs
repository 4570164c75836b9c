using MlWorkflow.Tracking.Artifacts;

namespace MlWorkflow.Tracking.Tests.Artifacts;

public class ArtifactPathTests
{
    [TestCase(null, "")]
    [TestCase("", "")]
    [TestCase("model", "model")]
    [TestCase("a/b/c.txt", "a/b/c.txt")]
    [TestCase("a//b/./c/", "a/b/c")]
    [TestCase("./notes", "notes")]
    [TestCase("with space/é.txt", "with space/é.txt")]
    public void Normalizes_safe_paths(string? path, string expected) =>
        Assert.That(ArtifactPath.Normalize(path), Is.EqualTo(expected));

    [TestCase("..", "'..'")]
    [TestCase("../x", "'..'")]
    [TestCase("a/../../x", "'..'")]
    [TestCase("a/..", "'..'")]
    [TestCase("/etc/passwd", "absolute")]
    [TestCase("~/x", "absolute")]
    [TestCase("C:/Windows", "drive letter")]
    [TestCase("c:x", "drive letter")]
    [TestCase("a\\b", "backslash")]
    [TestCase("..\\x", "backslash")]
    [TestCase("a\0b", "NUL")]
    [TestCase("a\nb", "control")]
    public void Refuses_paths_that_could_leave_the_root(string path, string reason)
    {
        var error = Assert.Throws<MlflowException>(() => ArtifactPath.Normalize(path));
        Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That(error.Message, Does.Contain(reason));
    }

    [Test]
    public void Refuses_a_link_that_points_outside_the_root()
    {
        using var temp = new TemporaryDirectory();
        var root = temp.Combine("root");
        var outside = temp.Combine("outside");
        Directory.CreateDirectory(root);
        Directory.CreateDirectory(outside);
        Directory.CreateSymbolicLink(Path.Combine(root, "escape"), outside);

        var error = Assert.Throws<MlflowException>(() => ArtifactPath.ResolveUnderRoot(root, "escape/secret.txt"));
        Assert.That(error!.Message, Does.Contain("link"));
    }

    [Test]
    public void Accepts_a_link_that_stays_inside_the_root()
    {
        using var temp = new TemporaryDirectory();
        var root = temp.Combine("root");
        Directory.CreateDirectory(Path.Combine(root, "real"));
        Directory.CreateSymbolicLink(Path.Combine(root, "alias"), Path.Combine(root, "real"));

        Assert.That(ArtifactPath.ResolveUnderRoot(root, "alias/x.txt"), Is.EqualTo(Path.Combine(root, "alias", "x.txt")));
    }
}
