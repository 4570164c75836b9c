using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlWorkflow.Data.Describing;

/// <summary>Builds <see cref="DatasetDescription"/>s: MLflow column specs, row counts and content digests.</summary>
internal static class DatasetDescriber
{
    private const int DigestHexLength = 16;

    /// <summary>Describes file-backed data: the digest covers each file's name (relative to the first file's folder), size and
    /// bytes, so copies of the same files in another folder get the same digest.</summary>
    public static async Task<DatasetDescription> DescribeFilesAsync(
        string name, string uri, IReadOnlyList<string> files, IDataView view, CancellationToken cancellationToken,
        string sourceType = "local", string? sourceJson = null, long? knownRows = null)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var root = files.Count == 1 ? Path.GetDirectoryName(files[0])! : CommonFolder(files);
        var buffer = new byte[1 << 16];
        foreach (var file in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(root, file).Replace('\\', '/') + "\n"));
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
            hash.AppendData(BitConverter.GetBytes(stream.Length));
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }
        }

        var schema = ColumnSpecJson(view.Schema);
        hash.AppendData(Encoding.UTF8.GetBytes(schema));
        var rows = knownRows ?? CountRows(view, cancellationToken);
        return new DatasetDescription(name, Hex(hash), sourceType, sourceJson ?? JsonSerializer.Serialize(new Dictionary<string, string> { ["uri"] = uri }), schema, rows);
    }

    /// <summary>Describes in-memory data: the digest covers the schema and every value.</summary>
    public static DatasetDescription DescribeValues(string name, IDataView view, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var schema = ColumnSpecJson(view.Schema);
        hash.AppendData(Encoding.UTF8.GetBytes(schema));
        long rows = 0;
        using (var cursor = view.GetRowCursor(view.Schema))
        {
            var appenders = view.Schema.Select(c => ValueHasher.Create(cursor, c)).ToArray();
            while (cursor.MoveNext())
            {
                if ((rows & 0xFFFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                foreach (var append in appenders)
                {
                    append(hash);
                }

                rows++;
            }
        }

        return new DatasetDescription(name, Hex(hash), "code", "{}", schema, rows);
    }

    /// <summary>The row count: the view's own when it knows it, else one pass with no column active.</summary>
    public static long CountRows(IDataView view, CancellationToken cancellationToken)
    {
        if (view.GetRowCount() is { } known)
        {
            return known;
        }

        long rows = 0;
        using var cursor = view.GetRowCursor([]);
        while (cursor.MoveNext())
        {
            if ((++rows & 0xFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        return rows;
    }

    /// <summary>The schema as MLflow column-spec JSON; vectors are MLflow <c>array</c> columns.</summary>
    public static string ColumnSpecJson(DataViewSchema schema)
    {
        var columns = new List<Dictionary<string, object>>();
        foreach (var column in schema)
        {
            if (column.IsHidden)
            {
                continue;
            }

            var spec = new Dictionary<string, object>();
            if (column.Type is VectorDataViewType vector)
            {
                spec["type"] = "array";
                spec["items"] = new Dictionary<string, string> { ["type"] = MlflowType(vector.ItemType) };
            }
            else
            {
                spec["type"] = MlflowType(column.Type);
            }

            spec["name"] = column.Name;
            spec["required"] = true;
            columns.Add(spec);
        }

        return JsonSerializer.Serialize(new Dictionary<string, object> { ["mlflow_colspec"] = columns });
    }

    private static string MlflowType(DataViewType type)
    {
        var raw = type.RawType;
        return raw switch
        {
            _ when raw == typeof(bool) => "boolean",
            _ when raw == typeof(sbyte) || raw == typeof(byte) || raw == typeof(short) || raw == typeof(ushort) || raw == typeof(int) => "integer",
            _ when raw == typeof(uint) || raw == typeof(long) || raw == typeof(ulong) || raw == typeof(TimeSpan) => "long",
            _ when raw == typeof(float) => "float",
            _ when raw == typeof(double) => "double",
            _ when raw == typeof(DateTime) || raw == typeof(DateTimeOffset) => "datetime",
            _ => "string",
        };
    }

    private static string Hex(IncrementalHash hash) => Convert.ToHexStringLower(hash.GetHashAndReset())[..DigestHexLength];

    private static string CommonFolder(IReadOnlyList<string> files)
    {
        var common = Path.GetDirectoryName(files[0])!;
        foreach (var file in files)
        {
            while (!file.StartsWith(common + Path.DirectorySeparatorChar, StringComparison.Ordinal) && Path.GetDirectoryName(common) is { } parent)
            {
                common = parent;
            }
        }

        return common;
    }
}
