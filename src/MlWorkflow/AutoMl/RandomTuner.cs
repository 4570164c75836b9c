namespace MlWorkflow.AutoMl;

/// <summary>Uniform random search: a trainer at random, then a point at random in its search ranges.</summary>
internal sealed class RandomTuner(IReadOnlyList<SearchSpace> spaces, int seed) : ITuner
{
    private readonly Random _random = new(seed);

    public TrialProposal Propose()
    {
        var space = spaces[_random.Next(spaces.Count)];
        var point = space.RandomPoint(_random);
        return new TrialProposal(space, point, space.Values(point));
    }

    public void Report(TrialProposal proposal, double loss, double cost)
    {
    }
}
