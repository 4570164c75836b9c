namespace MlWorkflow.Tracking.Stores.File;

/// <summary>Makes run names in MLflow's shape, <c>adjective-noun-N</c> (N from 0 to 999, at most 20 characters), such as <c>brave-owl-42</c>.</summary>
internal static class RunNameGenerator
{
    private const int MaxLength = 20;

    private static readonly string[] Adjectives =
    [
        "agile", "amber", "bold", "brave", "bright", "calm", "clever", "crisp", "dapper", "eager",
        "fair", "fancy", "gentle", "glad", "grand", "happy", "honest", "jolly", "keen", "kind",
        "lively", "lucky", "merry", "mighty", "nimble", "noble", "polite", "proud", "quick", "quiet",
        "rare", "rustic", "serene", "sharp", "shy", "silent", "sleek", "smart", "steady", "sunny",
        "swift", "tidy", "vivid", "warm", "wise", "witty", "young", "zesty",
    ];

    private static readonly string[] Nouns =
    [
        "ant", "badger", "bear", "bee", "bird", "carp", "cat", "colt", "crane", "deer",
        "dove", "eel", "elk", "finch", "fox", "frog", "goat", "hare", "hawk", "heron",
        "ibis", "jay", "koala", "lark", "lion", "lynx", "mole", "moth", "newt", "otter",
        "owl", "panda", "pike", "quail", "ram", "robin", "seal", "shark", "sloth", "snail",
        "squid", "stork", "swan", "tern", "toad", "trout", "vole", "wasp", "whale", "wolf",
        "wren", "yak", "zebra",
    ];

    /// <summary>A new random name.</summary>
    public static string Generate()
    {
        while (true)
        {
            var name = $"{Adjectives[Random.Shared.Next(Adjectives.Length)]}-{Nouns[Random.Shared.Next(Nouns.Length)]}-{Random.Shared.Next(1000)}";
            if (name.Length <= MaxLength)
            {
                return name;
            }
        }
    }
}
