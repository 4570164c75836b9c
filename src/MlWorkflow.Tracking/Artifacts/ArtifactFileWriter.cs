namespace MlWorkflow.Tracking.Artifacts;

/// <summary>Writes a local artifact file whole: to a temporary file beside the target, then renamed over it.</summary>
internal static class ArtifactFileWriter
{
    private const int CopyBufferSize = 81920;

    /// <summary>
    /// Copies <paramref name="content"/> to <paramref name="target"/> through <c>&lt;target&gt;.tmp-&lt;guid&gt;</c>, so that a
    /// reader never sees half a file and a failure (or cancellation) leaves the old file and no temporary one.
    /// </summary>
    public static async Task WriteAsync(Stream content, string target, CancellationToken cancellationToken)
    {
        var temporary = target + ".tmp-" + Guid.NewGuid().ToString("N");
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
