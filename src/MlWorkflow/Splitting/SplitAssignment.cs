namespace MlWorkflow.Splitting;

/// <summary>
/// Assigns rows to the test side or to folds: at random with exact sizes (as scikit-learn's <c>train_test_split</c> and
/// <c>KFold(shuffle=True)</c> do), by class (stratified: each class's share is kept on both sides, as
/// scikit-learn's <c>StratifiedShuffleSplit</c> and <c>StratifiedKFold</c> do) or by group (a group's rows never straddle
/// two sides, as <c>GroupShuffleSplit</c> and <c>GroupKFold</c>). Deterministic for a seed.
/// </summary>
internal static class SplitAssignment
{
    /// <summary>
    /// Whether each row is a test row: <paramref name="fraction"/> of the rows, rounded up as scikit-learn's
    /// <c>train_test_split</c> rounds its test size, drawn at random; at least one row stays on each side.
    /// </summary>
    public static bool[] Random(int rows, double fraction, int seed)
    {
        var test = new bool[rows];
        if (rows < 2)
        {
            return test;
        }

        // Rounded to 9 places first: 100 × 0.07 is 7.000000000000001 in binary floating point, and 7 rows are meant.
        var count = Math.Clamp((int)Math.Ceiling(Math.Round(rows * fraction, 9)), 1, rows - 1);
        var order = Enumerable.Range(0, rows).ToList();
        Shuffle(order, new Random(seed));
        foreach (var row in order.Take(count))
        {
            test[row] = true;
        }

        return test;
    }

    /// <summary>Each row's fold: the rows are shuffled and dealt to the folds in turn, so fold sizes differ by one row at most.</summary>
    public static int[] RandomFolds(int rows, int folds, int seed)
    {
        var order = Enumerable.Range(0, rows).ToList();
        Shuffle(order, new Random(seed));
        var fold = new int[rows];
        for (var i = 0; i < order.Count; i++)
        {
            fold[order[i]] = i % folds;
        }

        return fold;
    }

    /// <summary>Whether each row is a test row: a <paramref name="fraction"/> of each class's rows, rounded.</summary>
    public static bool[] Stratified(IReadOnlyList<string> classes, double fraction, int seed)
    {
        var random = new Random(seed);
        var test = new bool[classes.Count];
        foreach (var rows in RowsByKey(classes))
        {
            Shuffle(rows, random);
            var count = (int)Math.Round(rows.Count * fraction, MidpointRounding.AwayFromZero);
            foreach (var row in rows.Take(count))
            {
                test[row] = true;
            }
        }

        return test;
    }

    /// <summary>Whether each row is a test row: the rows of a <paramref name="fraction"/> of the groups (rounded up), drawn at random.</summary>
    /// <exception cref="ArgumentException">Fewer than two groups.</exception>
    public static bool[] Grouped(IReadOnlyList<string> groups, double fraction, int seed)
    {
        var byGroup = RowsByKey(groups);
        if (byGroup.Count < 2)
        {
            throw new ArgumentException($"a grouped split needs at least 2 groups; the column has {byGroup.Count}");
        }

        Shuffle(byGroup, new Random(seed));
        var testGroups = Math.Min(byGroup.Count - 1, Math.Max(1, (int)Math.Ceiling(byGroup.Count * fraction)));
        var test = new bool[groups.Count];
        foreach (var row in byGroup.Take(testGroups).SelectMany(rows => rows))
        {
            test[row] = true;
        }

        return test;
    }

    /// <summary>Each row's fold: every class's rows are shuffled and dealt to the folds in turn, so each fold keeps the class shares.</summary>
    public static int[] StratifiedFolds(IReadOnlyList<string> classes, int folds, int seed)
    {
        var random = new Random(seed);
        var fold = new int[classes.Count];
        var next = 0;
        foreach (var rows in RowsByKey(classes))
        {
            Shuffle(rows, random);
            foreach (var row in rows)
            {
                fold[row] = next;
                next = (next + 1) % folds;
            }
        }

        return fold;
    }

    /// <summary>Each row's fold: groups, largest first (ties in a seeded random order), each go to the fold with the fewest rows so far.</summary>
    /// <exception cref="ArgumentException">Fewer groups than folds.</exception>
    public static int[] GroupedFolds(IReadOnlyList<string> groups, int folds, int seed)
    {
        var byGroup = RowsByKey(groups);
        if (byGroup.Count < folds)
        {
            throw new ArgumentException($"{folds} folds need at least {folds} groups; the column has {byGroup.Count}");
        }

        Shuffle(byGroup, new Random(seed));
        var sizes = new long[folds];
        var fold = new int[groups.Count];
        foreach (var rows in byGroup.OrderByDescending(rows => rows.Count))
        {
            var smallest = Array.IndexOf(sizes, sizes.Min());
            sizes[smallest] += rows.Count;
            foreach (var row in rows)
            {
                fold[row] = smallest;
            }
        }

        return fold;
    }

    // Keys in ordinal order, so that the assignment depends on the seed and the values only, not on the row order of first sight.
    private static List<List<int>> RowsByKey(IReadOnlyList<string> keys)
    {
        var rows = new SortedDictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < keys.Count; i++)
        {
            if (!rows.TryGetValue(keys[i], out var list))
            {
                rows[keys[i]] = list = [];
            }

            list.Add(i);
        }

        return [.. rows.Values];
    }

    private static void Shuffle<T>(List<T> items, Random random)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
