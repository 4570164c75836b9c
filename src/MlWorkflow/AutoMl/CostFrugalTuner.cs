namespace MlWorkflow.AutoMl;

/// <summary>
/// A cost-frugal tuner after FLAML's CFO and BlendSearch (Wu, Wang, Huang, Wang: "Frugal Optimization for Cost-related
/// Hyperparameters", AAAI 2021): each trainer starts at its cheapest point and moves by a randomised direct search
/// (FLOW2: try x + δu, then x − δu, for a random unit direction u; shrink δ after repeated failures); a search that has
/// converged restarts at a random point; the next trainer is drawn with a probability inversely proportional to its
/// estimated cost for improvement (ECI), so cheap trainers that improve are tried more and slow hopeless ones less.
/// </summary>
internal sealed class CostFrugalTuner : ITuner
{
    private const double StepSize = 0.1;
    private const double SmallestStep = 0.005;

    private readonly Random _random;
    private readonly TrainerState[] _trainers;
    private double _bestLoss = double.PositiveInfinity;

    public CostFrugalTuner(IReadOnlyList<SearchSpace> spaces, int seed)
    {
        _random = new Random(seed);
        _trainers = spaces.Select(s => new TrainerState(s)).ToArray();
    }

    public TrialProposal Propose()
    {
        // Every trainer first gets its cheap start, then its catalog defaults (strong per task), in the catalog's order.
        var state = Array.Find(_trainers, t => t.Trials == 0) ?? Array.Find(_trainers, t => t.Trials == 1 && t.Space.Count > 0) ?? Choose();
        return state.Propose(_random);
    }

    public void Report(TrialProposal proposal, double loss, double cost)
    {
        var state = _trainers.First(t => ReferenceEquals(t.Space, proposal.Space));
        state.Report(proposal, loss, Math.Max(cost, 1e-6));
        _bestLoss = Math.Min(_bestLoss, loss);
    }

    // ECI: the cost a trainer needs to improve on itself (time since its last improvement, at least twice its last trial),
    // and for a trainer behind the leader, the cost to close the gap at the speed it improved so far.
    private TrainerState Choose()
    {
        var weights = new double[_trainers.Length];
        for (var i = 0; i < _trainers.Length; i++)
        {
            var t = _trainers[i];
            var eci = Math.Max(t.Spent - t.SpentAtBest, 2 * t.LastCost);
            if (double.IsPositiveInfinity(t.BestLoss))
            {
                // Never succeeded: try again only rarely.
                eci = Math.Max(eci, 10 * t.Spent);
            }
            else if (t.BestLoss > _bestLoss)
            {
                var speed = (t.FirstLoss - t.BestLoss) / Math.Max(t.SpentAtBest, 1e-6);
                var gap = t.BestLoss - _bestLoss;
                eci = Math.Max(eci, speed > 0 ? gap / speed : 10 * t.Spent);
            }

            weights[i] = 1 / Math.Max(eci, 1e-6);
        }

        var total = weights.Sum();
        var draw = _random.NextDouble() * total;
        for (var i = 0; i < weights.Length; i++)
        {
            draw -= weights[i];
            if (draw <= 0)
            {
                return _trainers[i];
            }
        }

        return _trainers[^1];
    }

    private sealed class TrainerState(SearchSpace space)
    {
        private double[]? _incumbent;
        private double _incumbentLoss = double.PositiveInfinity;
        private double[]? _direction;
        private bool _triedOpposite;
        private int _failures;
        private double _step = StepSize * Math.Sqrt(Math.Max(1, space.Count));

        public SearchSpace Space { get; } = space;

        public int Trials { get; private set; }

        public double Spent { get; private set; }

        public double SpentAtBest { get; private set; }

        public double LastCost { get; private set; }

        public double FirstLoss { get; private set; } = double.PositiveInfinity;

        public double BestLoss { get; private set; } = double.PositiveInfinity;

        // Failures in a row before the step shrinks: FLAML waits for 2^(d-1) directions; capped so that big spaces still converge.
        private int Patience => Math.Min(1 << Math.Max(0, Space.Count - 1), 8);

        public TrialProposal Propose(Random random)
        {
            if (Space.Count == 0)
            {
                return new TrialProposal(Space, [], new Dictionary<string, object?>());
            }

            if (Trials == 1)
            {
                // Second, the catalog's defaults (strong per task, issue 14): the local search goes on from the better of the two.
                var (defaults, values) = Space.Defaults();
                return new TrialProposal(Space, defaults, values);
            }

            if (_incumbent is null)
            {
                if (Trials == 0)
                {
                    var (start, values) = Space.LowCostStart();
                    return new TrialProposal(Space, start, values);
                }

                var restart = Space.RandomPoint(random);
                return new TrialProposal(Space, restart, Space.Values(restart));
            }

            if (_direction is null)
            {
                _direction = UnitVector(random, Space.Count);
                _triedOpposite = false;
            }

            var sign = _triedOpposite ? -1 : 1;
            var point = new double[Space.Count];
            for (var i = 0; i < point.Length; i++)
            {
                point[i] = Math.Clamp(_incumbent[i] + (sign * _step * _direction[i]), 0, 1);
            }

            return new TrialProposal(Space, point, Space.Values(point));
        }

        public void Report(TrialProposal proposal, double loss, double cost)
        {
            Trials++;
            Spent += cost;
            LastCost = cost;
            if (double.IsPositiveInfinity(FirstLoss) && !double.IsPositiveInfinity(loss))
            {
                FirstLoss = loss;
            }

            if (loss < BestLoss)
            {
                BestLoss = loss;
                SpentAtBest = Spent;
            }

            if (Space.Count == 0)
            {
                return;
            }

            if (Trials == 2 && loss < _incumbentLoss)
            {
                _incumbent = proposal.Point;
                _incumbentLoss = loss;
                _direction = null;
                return;
            }

            if (Trials == 2)
            {
                return;
            }

            if (_incumbent is null)
            {
                // A start (cheap or restart): it becomes the incumbent even when it failed, so that the search moves away.
                _incumbent = proposal.Point;
                _incumbentLoss = loss;
                _direction = null;
                return;
            }

            if (loss < _incumbentLoss)
            {
                _incumbent = proposal.Point;
                _incumbentLoss = loss;
                _direction = null;
                _failures = 0;
                return;
            }

            if (!_triedOpposite)
            {
                _triedOpposite = true;
                return;
            }

            _direction = null;
            if (++_failures < Patience)
            {
                return;
            }

            _failures = 0;
            _step /= 2;
            if (_step < SmallestStep)
            {
                // Converged: restart at a random point with a fresh step.
                _incumbent = null;
                _incumbentLoss = double.PositiveInfinity;
                _step = StepSize * Math.Sqrt(Math.Max(1, Space.Count));
            }
        }

        private static double[] UnitVector(Random random, int count)
        {
            var vector = new double[count];
            double norm;
            do
            {
                for (var i = 0; i < count; i++)
                {
                    // Box-Muller: a Gaussian direction is uniform on the sphere once normalised.
                    vector[i] = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                }

                norm = Math.Sqrt(vector.Sum(v => v * v));
            }
            while (norm < 1e-9);

            for (var i = 0; i < count; i++)
            {
                vector[i] /= norm;
            }

            return vector;
        }
    }
}
