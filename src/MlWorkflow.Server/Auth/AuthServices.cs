namespace MlWorkflow.Server.Auth;

/// <summary>The auth layer of one server: its store, the authenticator and the permission checks.</summary>
internal sealed class AuthServices(AuthStore store, Authenticator authenticator, AccessControl access, MlflowAuthOptions options)
{
    public AuthStore Store => store;

    public Authenticator Authenticator => authenticator;

    public AccessControl Access => access;

    public MlflowAuthOptions Options => options;
}
