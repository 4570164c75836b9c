namespace MlWorkflow.Exploration;

/// <summary>The files <see cref="DataProfile.WriteReportAsync"/> wrote.</summary>
public sealed class DataProfileReport
{
    internal DataProfileReport(string folder, string markdownFile, IReadOnlyList<string> plotFiles)
    {
        Folder = folder;
        MarkdownFile = markdownFile;
        PlotFiles = plotFiles;
    }

    /// <summary>The report's folder (full path).</summary>
    public string Folder { get; }

    /// <summary>The Markdown summary (<c>data_profile.md</c>), linking the plots by file name.</summary>
    public string MarkdownFile { get; }

    /// <summary>The PNG plots; empty when no plotter is available (MlWorkflow.Plots not referenced).</summary>
    public IReadOnlyList<string> PlotFiles { get; }

    /// <summary>Every file: the Markdown summary, then the plots.</summary>
    public IReadOnlyList<string> Files => [MarkdownFile, .. PlotFiles];
}
