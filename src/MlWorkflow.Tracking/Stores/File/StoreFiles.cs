using System.Buffers;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using System.Text;

namespace MlWorkflow.Tracking.Stores.File;

/// <summary>
/// The file operations the store is built on, each safe against concurrent writers and crashes:
/// whole-file replacement by temp file and rename, create-once by a non-overwriting move, and appends
/// made with one <c>write</c> call on a descriptor opened with <c>O_APPEND</c> (so lines from several
/// processes never interleave or overwrite each other).
/// </summary>
internal static class StoreFiles
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>Reads a whole file as UTF-8, or returns null when it does not exist.</summary>
    public static string? TryReadText(string path)
    {
        try
        {
            return System.IO.File.ReadAllText(path, Utf8);
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// Reads a whole file as UTF-8 and stamps it from the open handle (one open, no separate stat); null and
    /// <see cref="FileStamp.Missing"/> when it does not exist or is a folder.
    /// </summary>
    public static string? TryReadText(string path, out FileStamp stamp)
    {
        SafeFileHandle handle;
        try
        {
            handle = System.IO.File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            stamp = FileStamp.Missing;
            return null;
        }

        using (handle)
        {
            // One fstat for the time; the length is what was read (a short read is the end of a regular file).
            var ticks = System.IO.File.GetLastWriteTimeUtc(handle).Ticks;
            var buffer = ArrayPool<byte>.Shared.Rent(4096);
            try
            {
                var total = 0;
                while (true)
                {
                    var read = RandomAccess.Read(handle, buffer.AsSpan(total), total);
                    total += read;
                    if (total < buffer.Length)
                    {
                        break;
                    }

                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, total).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                stamp = new FileStamp(ticks, total);
                var start = total >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF ? 3 : 0;
                return Utf8.GetString(buffer, start, total - start);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>Reads a <c>meta.yaml</c>; an empty file (a writer between create and write) is read again twice, after 0.1 s and 0.2 s, as MLflow does.</summary>
    public static string? TryReadMeta(string path)
    {
        var text = TryReadText(path);
        for (var attempt = 1; attempt <= 2 && text is { Length: 0 }; attempt++)
        {
            Thread.Sleep(100 * attempt);
            text = TryReadText(path);
        }

        return text;
    }

    /// <summary>Replaces a file atomically: the content goes to a temp file in <paramref name="tempDirectory"/> (same file system), then is renamed over the target.</summary>
    public static void ReplaceAtomically(string path, string content, string tempDirectory)
    {
        var temp = WriteTemp(content, tempDirectory);
        try
        {
            System.IO.File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Creates a file with its whole content at once if it does not exist yet; returns false when it already exists.</summary>
    public static bool TryCreate(string path, string content, string tempDirectory)
    {
        if (System.IO.File.Exists(path))
        {
            return false;
        }

        var temp = WriteTemp(content, tempDirectory);
        try
        {
            if (IsPosix)
            {
                // link(2) fails with EEXIST when the target exists: an atomic create-if-absent with the whole content.
                if (Link(temp, path) == 0)
                {
                    return true;
                }

                var errno = Marshal.GetLastPInvokeError();
                if (errno == EEXIST)
                {
                    return false;
                }

                if (errno is not (EPERM or LinuxNotSupported or BsdNotSupported))
                {
                    throw new IOException($"Could not create '{path}' (errno {errno}: {Marshal.GetPInvokeErrorMessage(errno)}).");
                }
            }

            // Windows (MoveFileEx without replace fails if the target exists), or a file system without hard links.
            System.IO.File.Move(temp, path, overwrite: false);
            return true;
        }
        catch (IOException) when (System.IO.File.Exists(path))
        {
            return false;
        }
        finally
        {
            TryDelete(temp);
        }
    }

    private static bool IsPosix => PosixFile.IsSupported;

    /// <summary>Appends bytes to a file (created if missing) in one write call with <c>O_APPEND</c> semantics.</summary>
    public static void Append(string path, byte[] bytes)
    {
        if (IsPosix)
        {
            AppendPosix(path, bytes);
            return;
        }

        // Windows: FILE_APPEND_DATA access makes every write land at the end of the file.
        using var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Append,
            Access = FileAccess.Write,
            Share = FileShare.ReadWrite | FileShare.Delete,
            BufferSize = 0,
        });
        stream.Write(bytes);
    }

    /// <summary>Encodes text as UTF-8 without a byte order mark.</summary>
    public static byte[] Encode(string text) => Utf8.GetBytes(text);

    /// <summary>Deletes a file, ignoring failures.</summary>
    public static void TryDelete(string path)
    {
        try
        {
            System.IO.File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string WriteTemp(string content, string tempDirectory)
    {
        var temp = Path.Combine(tempDirectory, $".tmp-{Guid.NewGuid():N}");
        using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            stream.Write(Utf8.GetBytes(content));
        }

        return temp;
    }

    private static void AppendPosix(string path, byte[] bytes)
    {
        var descriptor = PosixFile.Open(path, PosixFile.WriteOnly | PosixFile.Create | PosixFile.Append | PosixFile.CloseOnExec, "for appending");
        try
        {
            PosixFile.WriteAll(descriptor, bytes, path);
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    private const int EPERM = 1;
    private const int EEXIST = 17;
    private const int LinuxNotSupported = 95;
    private const int BsdNotSupported = 45;

    private static int Link(string existing, string created)
    {
        var from = Marshal.StringToCoTaskMemUTF8(existing);
        var to = Marshal.StringToCoTaskMemUTF8(created);
        try
        {
            return LinkNative(from, to);
        }
        finally
        {
            Marshal.FreeCoTaskMem(from);
            Marshal.FreeCoTaskMem(to);
        }
    }

    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int LinkNative(nint existing, nint created);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int descriptor);
}
