using System.Runtime.InteropServices;

namespace MlWorkflow.Tracking.Stores.File;

/// <summary>
/// The one place the file store opens files through libc (Linux, macOS, FreeBSD): the flags the framework does not
/// offer (<c>O_APPEND</c> for atomic appends, <c>O_CLOEXEC</c>) and an <c>open</c> that retries on <c>EINTR</c> and
/// turns errors into exceptions naming the file, not the store's absolute path.
/// </summary>
internal static class PosixFile
{
    public const int EINTR = 4;

    public const int ENOENT = 2;

    /// <summary>Whether this operating system has libc's <c>open</c> with the flags below.</summary>
    public static bool IsSupported => OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD();

    public static int ReadOnly => 0;

    public static int WriteOnly => 0x1;

    public static int ReadWrite => 0x2;

    public static int Create => OperatingSystem.IsLinux() ? 0x40 : 0x200;

    public static int Append => OperatingSystem.IsLinux() ? 0x400 : 0x8;

    public static int CloseOnExec => OperatingSystem.IsLinux() ? 0x80000 : 0x1000000;

    /// <summary>Opens <paramref name="path"/> with <paramref name="flags"/> (mode 0666 less the umask) and returns the descriptor.</summary>
    /// <param name="path">The file.</param>
    /// <param name="flags">The open flags, from this type's properties.</param>
    /// <param name="purpose">What the file is opened for, as the error says it (<c>"for appending"</c>); empty for nothing.</param>
    /// <exception cref="DirectoryNotFoundException">The file's folder does not exist.</exception>
    /// <exception cref="IOException">Any other failure, with its errno.</exception>
    public static int Open(string path, int flags, string purpose = "")
    {
        int descriptor;
        var nativePath = Marshal.StringToCoTaskMemUTF8(path);
        try
        {
            do
            {
                descriptor = OpenNative(nativePath, flags, 0x1B6 /* 0666, the umask applies */);
            }
            while (descriptor < 0 && Marshal.GetLastPInvokeError() == EINTR);
        }
        finally
        {
            Marshal.FreeCoTaskMem(nativePath);
        }

        if (descriptor < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            var what = purpose.Length == 0 ? $"'{Path.GetFileName(path)}'" : $"'{Path.GetFileName(path)}' {purpose}";
            throw errno == ENOENT
                ? new DirectoryNotFoundException($"Could not open {what}: its folder does not exist.")
                : new IOException($"Could not open {what} (errno {errno}: {Marshal.GetPInvokeErrorMessage(errno)}).");
        }

        return descriptor;
    }

    /// <summary>Writes all of <paramref name="bytes"/> to <paramref name="descriptor"/>: one <c>write</c> for any sensible size; a short write (disk full, a signal) continues where it stopped.</summary>
    /// <param name="descriptor">An open descriptor (with <c>O_APPEND</c>, each call lands at the end of the file).</param>
    /// <param name="bytes">What to write.</param>
    /// <param name="path">The file, named (without its folder) by the error.</param>
    /// <param name="kind">What the file is, as the error says it before its name (<c>"metric file "</c>); empty for nothing.</param>
    /// <exception cref="IOException">A write failed, with its errno.</exception>
    public static void WriteAll(int descriptor, byte[] bytes, string path, string kind = "")
    {
        var offset = 0;
        while (offset < bytes.Length)
        {
            var written = Write(descriptor, ref bytes[offset], bytes.Length - offset);
            if (written < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == EINTR)
                {
                    continue;
                }

                throw new IOException($"Could not append to {kind}'{Path.GetFileName(path)}' (errno {errno}: {Marshal.GetPInvokeErrorMessage(errno)}).");
            }

            offset += (int)written;
        }
    }

    [DllImport("libc", EntryPoint = "write", SetLastError = true)]
    private static extern nint Write(int descriptor, ref byte buffer, nint count);

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int OpenNative(nint path, int flags, int mode);
}
