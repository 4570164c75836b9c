namespace MlWorkflow.Tracking.Artifacts;

/// <summary>Writes a local artifact file whole: to a temporary file beside the target, then renamed over it.</summary>
internal static class ArtifactFileWriter
{
    private const int CopyBufferSize = 81920;

    /// <summary>
    /// Copies <paramref name="content"/> to <paramref name="target"/> through <c>.tmp-&lt;guid&gt;</c> in the same folder, so that
    /// a reader never sees half a file and a failure (or cancellation) leaves the old file and no temporary one. The temporary
    /// name is short and its own (not the target's name plus a suffix), so every name a file can have works.
    /// </summary>
    public static async Task WriteAsync(Stream content, string target, CancellationToken cancellationToken)
    {
        var temporary = Path.Combine(Path.GetDirectoryName(target)!, ".tmp-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using (var output = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, CopyBufferSize, FileOptions.Asynchronous))
            {
                await content.CopyToAsync(output, CopyBufferSize, cancellationToken).ConfigureAwait(false);
            }

            File.Move(temporary, target, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
