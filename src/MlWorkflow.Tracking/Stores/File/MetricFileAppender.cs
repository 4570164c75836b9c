using System.Buffers;
using System.Runtime.InteropServices;

namespace MlWorkflow.Tracking.Stores.File;

/// <summary>
/// Appends a batch's lines to a run's metric files, all or nothing:
/// <list type="bullet">
/// <item>MlWorkflow writers of one run take turns (an exclusive OS lock on the run's <c>metrics</c> folder, released by
/// the OS if the process dies), so no writer of ours is ever seen half-way by another.</item>
/// <item>A file that does not end with a line break holds a torn line (a writer killed mid-write, a short write on a
/// full disk): it was never acknowledged, so it is cut off before appending, and the new line starts on a fresh line
/// (MLflow's reader fails on such a line, so cutting it keeps the file readable by MLflow too).</item>
/// <item>Each file's length is noted before its append; if any append fails, every file of the batch is cut back to
/// its noted length, so a failed batch leaves no point behind and a retry cannot double one.</item>
/// </list>
/// Each append is one <c>write</c> on an <c>O_APPEND</c> descriptor, so a writer that takes no lock (MLflow's Python
/// client) still never has its lines overwritten.
/// </summary>
internal static class MetricFileAppender
{
    private static readonly object WindowsGate = new();

    /// <summary>Appends <paramref name="appends"/> (file path, UTF-8 lines) under <paramref name="metricsFolder"/>; the paths are validated already and their folders exist or can be made.</summary>
    /// <exception cref="IOException">An append failed; every file was cut back to its length before the batch.</exception>
    public static void AppendAll(string metricsFolder, IReadOnlyList<(string Path, byte[] Bytes)> appends)
    {
        if (appends.Count == 0)
        {
            return;
        }

        Directory.CreateDirectory(metricsFolder);
        if (!IsPosix)
        {
            lock (WindowsGate)
            {
                AppendAllPortable(appends);
            }

            return;
        }

        var folderDescriptor = PosixFile.Open(metricsFolder, PosixFile.ReadOnly | PosixFile.CloseOnExec);
        try
        {
            while (Flock(folderDescriptor, LockExclusive) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno != PosixFile.EINTR)
                {
                    throw new IOException($"Could not lock the metrics folder (errno {errno}: {Marshal.GetPInvokeErrorMessage(errno)}).");
                }
            }

            AppendAllPosix(appends);
        }
        finally
        {
            _ = Close(folderDescriptor); // closing releases the lock
        }
    }

    private static void AppendAllPosix(IReadOnlyList<(string Path, byte[] Bytes)> appends)
    {
        var opened = new List<(int Descriptor, long Length)>(appends.Count);
        try
        {
            foreach (var (path, bytes) in appends)
            {
                int descriptor;
                try
                {
                    descriptor = PosixFile.Open(path, PosixFile.ReadWrite | PosixFile.Create | PosixFile.Append | PosixFile.CloseOnExec);
                }
                catch (DirectoryNotFoundException)
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    descriptor = PosixFile.Open(path, PosixFile.ReadWrite | PosixFile.Create | PosixFile.Append | PosixFile.CloseOnExec);
                }

                opened.Add((descriptor, -1));
                var length = Check(Lseek(descriptor, 0, SeekEnd), path, "measure");
                length = CutTornTail(descriptor, length, path);
                opened[^1] = (descriptor, length);
                PosixFile.WriteAll(descriptor, bytes, path, "metric file ");
            }
        }
        catch
        {
            foreach (var (descriptor, length) in opened)
            {
                if (length >= 0)
                {
                    _ = Ftruncate(descriptor, length); // best effort: the batch failed already
                }
            }

            throw;
        }
        finally
        {
            foreach (var (descriptor, _) in opened)
            {
                _ = Close(descriptor);
            }
        }
    }

    /// <summary>Cuts a last line without its break; returns the new length.</summary>
    private static long CutTornTail(int descriptor, long length, string path)
    {
        if (length == 0)
        {
            return 0;
        }

        // Almost always the file ends with a break: one byte tells, before any scan.
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            if (Pread(descriptor, buffer, 1, length - 1) == 1 && buffer[0] == (byte)'\n')
            {
                return length;
            }

            return CutTornTail(descriptor, length, path, buffer);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Scans back from the end for the last line break and cuts what follows it.</summary>
    private static long CutTornTail(int descriptor, long length, string path, byte[] buffer)
    {
        var end = length;
        while (end > 0)
        {
            var start = Math.Max(0, end - 4096);
            var count = (int)(end - start);
            var read = Pread(descriptor, buffer, count, start);
            if (read != count)
            {
                throw new IOException($"Could not read the end of metric file '{Path.GetFileName(path)}'.");
            }

            var last = Array.LastIndexOf(buffer, (byte)'\n', count - 1, count);
            if (last == count - 1 && end == length)
            {
                return length; // ends with a break: nothing torn
            }

            if (last >= 0)
            {
                return Truncate(descriptor, start + last + 1, path);
            }

            end = start;
        }

        return Truncate(descriptor, 0, path);
    }

    private static long Truncate(int descriptor, long length, string path)
    {
        FileStoreDiagnostics.TornLinesCut.Add(1);
        if (Ftruncate(descriptor, length) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"Could not cut the torn last line of metric file '{Path.GetFileName(path)}' (errno {errno}: {Marshal.GetPInvokeErrorMessage(errno)}).");
        }

        return length;
    }

    private static long Check(long result, string path, string what)
    {
        if (result < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"Could not {what} metric file '{Path.GetFileName(path)}' (errno {errno}: {Marshal.GetPInvokeErrorMessage(errno)}).");
        }

        return result;
    }

    /// <summary>The same rules with .NET streams, for systems without the POSIX calls (one writer at a time in this process).</summary>
    private static void AppendAllPortable(IReadOnlyList<(string Path, byte[] Bytes)> appends)
    {
        var opened = new List<(FileStream Stream, long Length)>(appends.Count);
        try
        {
            foreach (var (path, bytes) in appends)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
                opened.Add((stream, -1));
                var length = stream.Length;
                if (length > 0)
                {
                    stream.Position = length - 1;
                    if (stream.ReadByte() != '\n')
                    {
                        var keep = length - 1;
                        while (keep > 0)
                        {
                            stream.Position = keep - 1;
                            if (stream.ReadByte() == '\n')
                            {
                                break;
                            }

                            keep--;
                        }

                        stream.SetLength(keep);
                        length = keep;
                    }
                }

                opened[^1] = (stream, length);
                stream.Position = length;
                stream.Write(bytes);
            }
        }
        catch
        {
            foreach (var (stream, length) in opened)
            {
                if (length >= 0)
                {
                    try
                    {
                        stream.SetLength(length);
                    }
                    catch (IOException)
                    {
                        // best effort: the batch failed already
                    }
                }
            }

            throw;
        }
        finally
        {
            foreach (var (stream, _) in opened)
            {
                stream.Dispose();
            }
        }
    }

    private static bool IsPosix => PosixFile.IsSupported;

    private const int LockExclusive = 2;
    private const int SeekEnd = 2;

    [DllImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static extern int Flock(int descriptor, int operation);

    [DllImport("libc", EntryPoint = "lseek", SetLastError = true)]
    private static extern long Lseek(int descriptor, long offset, int whence);

    [DllImport("libc", EntryPoint = "pread", SetLastError = true)]
    private static extern nint Pread(int descriptor, [Out] byte[] buffer, nint count, long offset);

    [DllImport("libc", EntryPoint = "ftruncate", SetLastError = true)]
    private static extern int Ftruncate(int descriptor, long length);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int descriptor);
}
