namespace MlWorkflow.Testing.Fixtures;

/// <summary>Deletes the fixtures' folders.</summary>
internal static class TestFolders
{
    public static void Delete(string folder)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
