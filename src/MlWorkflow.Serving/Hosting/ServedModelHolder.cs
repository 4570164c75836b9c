namespace MlWorkflow.Serving.Hosting;

/// <summary>The model the endpoints serve; null until it is loaded. One reference, so a request reads one model from start to end.</summary>
internal sealed class ServedModelHolder
{
    private volatile ServedModel? _current;

    public ServedModel? Current
    {
        get => _current;
        set => _current = value;
    }
}
