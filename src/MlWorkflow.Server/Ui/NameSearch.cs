namespace MlWorkflow.Server.Ui;

/// <summary>A "name contains" box turned into MLflow's search grammar, whose strings are quoted with <c>'</c> or <c>"</c> and have no escapes.</summary>
internal static class NameSearch
{
    /// <summary>
    /// <c>name ILIKE '%text%'</c>, quoted with whichever quote the text lacks; null for an empty box. A text holding both quotes
    /// cannot be written in the grammar: it is searched for without its quotes (what is left still narrows the list).
    /// </summary>
    public static string? Filter(string text)
    {
        if (text.Length == 0)
        {
            return null;
        }

        var quote = !text.Contains('\'', StringComparison.Ordinal) ? '\'' : !text.Contains('"', StringComparison.Ordinal) ? '"' : '\0';
        if (quote == '\0')
        {
            text = text.Replace("'", string.Empty, StringComparison.Ordinal).Replace("\"", string.Empty, StringComparison.Ordinal);
            quote = '\'';
        }

        return $"name ILIKE {quote}%{text}%{quote}";
    }
}
