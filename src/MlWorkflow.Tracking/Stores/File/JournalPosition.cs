namespace MlWorkflow.Tracking.Stores.File;

/// <summary>Where a reader stopped in an experiment's change journal.</summary>
internal sealed class JournalPosition
{
    /// <summary>The journal's first line when last read (its identity); null before the first read or when absent.</summary>
    public string? FirstLine { get; set; }

    /// <summary>The byte offset after the last whole line read.</summary>
    public long Offset { get; set; }
}
