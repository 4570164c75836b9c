using System.Text.RegularExpressions;
using MlWorkflow.Data.Columnar;
using Parquet;

namespace MlWorkflow.Data.Parquet;

/// <summary>Finds the files of a Parquet source (a file, a folder of part files, or a glob) and opens them.</summary>
internal static class ParquetFiles
{
    /// <summary>The files, in ordinal order: the file itself; every <c>*.parquet</c> under a folder (skipping names that start
    /// with <c>_</c> or <c>.</c>, as Spark and Hadoop mark metadata); or the files whose path relative to the glob's fixed
    /// prefix matches it (<c>*</c> and <c>?</c> within a name, <c>**</c> across folders).</summary>
    public static IReadOnlyList<string> Resolve(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (File.Exists(path))
        {
            return [Path.GetFullPath(path)];
        }

        if (Directory.Exists(path))
        {
            var root = Path.GetFullPath(path);
            var files = Directory.EnumerateFiles(root, "*.parquet", SearchOption.AllDirectories)
                .Where(f => !IsHidden(Path.GetRelativePath(root, f)))
                .Order(StringComparer.Ordinal)
                .ToList();
            return files.Count > 0 ? files : throw new DataSourceException($"Folder '{root}' holds no .parquet files");
        }

        if (path.IndexOfAny(['*', '?']) < 0)
        {
            throw new DataSourceException("Parquet file or folder not found", Path.GetFullPath(path));
        }

        var full = Path.GetFullPath(path).Replace('\\', '/');
        var segments = full.Split('/');
        var fixedCount = segments.TakeWhile(s => s.IndexOfAny(['*', '?']) < 0).Count();
        var baseDirectory = string.Join('/', segments.Take(fixedCount));
        if (baseDirectory.Length == 0)
        {
            baseDirectory = "/";
        }

        var pattern = GlobToRegex(string.Join('/', segments.Skip(fixedCount)));
        if (!Directory.Exists(baseDirectory))
        {
            throw new DataSourceException($"No files match '{path}': folder '{baseDirectory}' does not exist");
        }

        var matches = Directory.EnumerateFiles(baseDirectory, "*", SearchOption.AllDirectories)
            .Where(f => pattern.IsMatch(Path.GetRelativePath(baseDirectory, f).Replace('\\', '/')))
            .Order(StringComparer.Ordinal)
            .ToList();
        return matches.Count > 0 ? matches : throw new DataSourceException($"No files match '{path}'");
    }

    /// <summary>Opens a reader for the cursor: a synchronous file stream, so Parquet.Net's reads complete synchronously.</summary>
    public static ParquetReader OpenSync(string path, int maxFooterBytes)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.None);
        try
        {
            ParquetFooter.Check(stream, path, maxFooterBytes);
            return SyncBridge.Run(new ValueTask<ParquetReader>(ParquetReader.CreateAsync(stream, null, leaveStreamOpen: false)));
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Opens a reader to read the footer at load time, turning every failure into a <see cref="DataSourceException"/>.</summary>
    public static async Task<ParquetReader> OpenAsync(string path, int maxFooterBytes, CancellationToken cancellationToken)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.None);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataSourceException($"Cannot open Parquet file: {e.Message}", path, innerException: e);
        }

        try
        {
            ParquetFooter.Check(stream, path, maxFooterBytes);
            var reader = await ParquetReader.CreateAsync(stream, null, leaveStreamOpen: false, cancellationToken).ConfigureAwait(false);
            try
            {
                _ = reader.Schema.DataFields;
                return reader;
            }
            catch
            {
                await reader.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
        catch (DataSourceException)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            var hint = e is NotSupportedException && e.Message.Contains("Half", StringComparison.Ordinal)
                ? " (a FLOAT16 column, which Parquet.Net cannot decode)"
                : string.Empty;
            throw new DataSourceException($"Not a readable Parquet file{hint}: {e.Message}", path, innerException: e);
        }
    }

    private static bool IsHidden(string relativePath) =>
        relativePath.Replace('\\', '/').Split('/').Any(s => s.StartsWith('_') || s.StartsWith('.'));

    private static Regex GlobToRegex(string glob)
    {
        var regex = Regex.Escape(glob).Replace(@"\*\*/", "(.*/)?").Replace(@"\*\*", ".*").Replace(@"\*", "[^/]*").Replace(@"\?", "[^/]");
        return new Regex($"^{regex}$", RegexOptions.CultureInvariant);
    }
}
