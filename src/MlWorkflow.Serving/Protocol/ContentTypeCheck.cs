namespace MlWorkflow.Serving.Protocol;

/// <summary>The body formats <c>/invocations</c> reads.</summary>
internal enum BodyFormat
{
    Json,
    Csv,
}

/// <summary>
/// MLflow 2.x's Content-Type rules for <c>/invocations</c>: the media type before <c>;</c> compared exactly, only the
/// <c>charset=utf-8</c> parameter allowed. A missing header is a clear 415 (MLflow answers an HTML 500).
/// </summary>
internal static class ContentTypeCheck
{
    public static BodyFormat Check(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            throw new ScoringException(415, "UNSUPPORTED_MEDIA_TYPE", "The request has no Content-Type header. Send 'Content-Type: application/json' (dataframe_split, dataframe_records, instances or inputs) or 'Content-Type: text/csv'.");
        }

        var parts = contentType.Split(';').Select(p => p.Trim()).ToArray();
        var unknown = new List<string>();
        foreach (var parameter in parts.Skip(1).Where(p => p.Length > 0))
        {
            var equals = parameter.IndexOf('=', StringComparison.Ordinal);
            var key = (equals < 0 ? parameter : parameter[..equals]).Trim();
            var value = equals < 0 ? string.Empty : parameter[(equals + 1)..].Trim().Trim('"');
            if (key == "charset")
            {
                if (!string.Equals(value, "utf-8", StringComparison.OrdinalIgnoreCase))
                {
                    throw new ScoringException(415, "UNSUPPORTED_MEDIA_TYPE", "The scoring server only supports UTF-8");
                }
            }
            else
            {
                unknown.Add(Excerpt.Short(key));
            }
        }

        if (unknown.Count > 0)
        {
            throw new ScoringException(415, "UNSUPPORTED_MEDIA_TYPE", $"Unrecognized content type parameters: {string.Join(", ", unknown)}. IMPORTANT: The MLflow Model scoring protocol has changed in MLflow version 2.0. Send 'Content-Type: application/json' with a body keyed by dataframe_split, dataframe_records, instances or inputs, or 'Content-Type: text/csv'.");
        }

        return parts[0] switch
        {
            "application/json" => BodyFormat.Json,
            "text/csv" => BodyFormat.Csv,
            _ => throw new ScoringException(415, "UNSUPPORTED_MEDIA_TYPE", $"This predictor only supports the following content types: Types: ['text/csv', 'application/json']. Got '{Excerpt.Of(contentType)}'."),
        };
    }
}
