using System.Globalization;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Microsoft.Extensions.Logging;

namespace MlWorkflow.Server.Idempotency;

/// <summary>
/// The idempotency keys of writes, kept on disk so that a write retried across a server restart is recognised: a
/// <c>P</c> line when a write starts and a <c>D</c> line with its answer when it was applied. A key with only a <c>P</c> line
/// belongs to a write whose server stopped while it ran: its outcome is unknown. Each server process appends to its own files
/// (<c>.idempotency-&lt;time&gt;-&lt;id&gt;.log</c>), rotated at a quarter of the byte budget; the oldest files go first when the
/// budget or the lifetime is exceeded. A torn last line (a crash mid-write) is ignored, as every record ends with a newline.
/// Lines are written to the operating system at once (they survive a killed process), not flushed to the disk.
/// </summary>
internal sealed class IdempotencyJournal : IDisposable
{
    private const string FilePrefix = ".idempotency-";
    private const string FileSuffix = ".log";
    private const long MaxUnixMilliseconds = 253_402_300_799_999;

    private readonly string _directory;
    private readonly long _maxBytes;
    private readonly TimeSpan _lifetime;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private SafeFileHandle? _file;
    private long _offset;
    private bool _failed;

    public IdempotencyJournal(string directory, long maxBytes, TimeSpan lifetime, TimeProvider time, ILogger logger)
    {
        _directory = directory;
        _maxBytes = maxBytes;
        _lifetime = lifetime;
        _time = time;
        _logger = logger;
    }

    /// <summary>Reads the journals of earlier server processes into <paramref name="cache"/>, deleting expired files.</summary>
    public void LoadInto(IdempotencyCache cache)
    {
        if (!Directory.Exists(_directory))
        {
            return;
        }

        var restored = 0;
        foreach (var file in Prune())
        {
            string text;
            try
            {
                using var stream = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var reader = new StreamReader(stream, Encoding.UTF8);
                text = reader.ReadToEnd();
            }
            catch (IOException e)
            {
                ServerLog.JournalUnreadable(_logger, e, file.FullName);
                continue;
            }

            var lines = text.Split('\n');
            // The last piece is empty (the file ends with a newline) or a torn record: never read it.
            for (var i = 0; i < lines.Length - 1; i++)
            {
                if (TryParse(lines[i].TrimStart('\0'), out var key, out var at, out var response) && _time.GetUtcNow() - at <= _lifetime)
                {
                    cache.Restore(key, response, at);
                    restored++;
                }
            }
        }

        ServerLog.JournalRestored(_logger, restored, _directory);
    }

    /// <summary>Records that a write holding <paramref name="key"/> starts.</summary>
    public void Started(string key) =>
        Append(string.Create(CultureInfo.InvariantCulture, $"P {_time.GetUtcNow().ToUnixTimeMilliseconds()} {key}\n"));

    /// <summary>Records the answer of an applied write.</summary>
    public void Applied(string key, CachedResponse response)
    {
        var type = response.ContentType is null ? "-" : Convert.ToBase64String(Encoding.UTF8.GetBytes(response.ContentType));
        var body = response.Body.Length == 0 ? "-" : Convert.ToBase64String(response.Body);
        Append(string.Create(CultureInfo.InvariantCulture, $"D {_time.GetUtcNow().ToUnixTimeMilliseconds()} {key} {response.StatusCode} {type} {body}\n"));
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _file?.Dispose();
            _file = null;
        }
    }

    private void Append(string record)
    {
        var bytes = Encoding.UTF8.GetBytes(record);
        lock (_gate)
        {
            if (_failed)
            {
                return;
            }

            try
            {
                if (_file is null || _offset + bytes.Length > _maxBytes / 4)
                {
                    Rotate();
                }

                RandomAccess.Write(_file!, bytes, _offset);
                _offset += bytes.Length;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Idempotency across restarts degrades to this process only; the writes themselves go on.
                _failed = true;
                ServerLog.JournalUnwritable(_logger, e, _directory);
            }
        }
    }

    private void Rotate()
    {
        _file?.Dispose();
        Directory.CreateDirectory(_directory);
        var name = string.Create(CultureInfo.InvariantCulture, $"{FilePrefix}{_time.GetUtcNow():yyyyMMdd'T'HHmmssfff}-{Guid.NewGuid():N}{FileSuffix}");
        _file = File.OpenHandle(Path.Combine(_directory, name), FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        _offset = 0;
        Prune();
    }

    /// <summary>Deletes the files past the lifetime or the byte budget (oldest first) and returns the others, oldest first.</summary>
    private List<FileInfo> Prune()
    {
        var files = new DirectoryInfo(_directory).EnumerateFiles(FilePrefix + "*" + FileSuffix)
            .OrderByDescending(f => f.Name, StringComparer.Ordinal)
            .ToList();
        var kept = new List<FileInfo>();
        long total = 0;
        foreach (var file in files)
        {
            total += file.Length;
            var expired = _time.GetUtcNow() - new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero) > _lifetime;
            if ((expired || total > _maxBytes) && kept.Count > 0)
            {
                TryDelete(file);
            }
            else
            {
                kept.Add(file);
            }
        }

        kept.Reverse();
        return kept;
    }

    private void TryDelete(FileInfo file)
    {
        try
        {
            file.Delete();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ServerLog.JournalNotDeleted(_logger, e, file.FullName);
        }
    }

    private static bool TryParse(string line, out string key, out DateTimeOffset at, out CachedResponse? response)
    {
        key = string.Empty;
        at = default;
        response = null;
        var parts = line.Split(' ');
        if (parts.Length < 3 || parts[2].Length != 64 || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds) || milliseconds > MaxUnixMilliseconds)
        {
            return false;
        }

        key = parts[2];
        at = DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
        if (parts[0] == "P" && parts.Length == 3)
        {
            return true;
        }

        if (parts[0] != "D" || parts.Length != 6 || !int.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
        {
            return false;
        }

        try
        {
            var type = parts[4] == "-" ? null : Encoding.UTF8.GetString(Convert.FromBase64String(parts[4]));
            var body = parts[5] == "-" ? [] : Convert.FromBase64String(parts[5]);
            response = new CachedResponse(status, type, body);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
