using System.Data.Common;
using System.Globalization;
using MlWorkflow.Tracking.Stores.Sql;

namespace MlWorkflow.Server.Auth;

/// <summary>
/// Users and permission records in MLflow's auth tables (mlflow-protocol-2 §5.2), created when missing, in SQLite or PostgreSQL.
/// In a database of its own it also writes the auth app's alembic revision, so that MLflow's auth app opens the same file.
/// </summary>
internal sealed class AuthStore(SqlConnectionSource database, bool ownDatabase)
{
    /// <summary>The alembic revision of MLflow's auth schema (its only one).</summary>
    public const string SchemaRevision = "8606fa83a998";

    public string RedactedUri => database.RedactedUri;

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var id = database.IsPostgreSql ? "id SERIAL NOT NULL" : "id INTEGER NOT NULL";
        string[] statements =
        [
            $"CREATE TABLE IF NOT EXISTS users ({id}, username VARCHAR(255), password_hash VARCHAR(255), is_admin BOOLEAN, PRIMARY KEY (id), UNIQUE (username))",
            $"CREATE TABLE IF NOT EXISTS experiment_permissions ({id}, experiment_id VARCHAR(255) NOT NULL, user_id INTEGER NOT NULL, permission VARCHAR(255), PRIMARY KEY (id), CONSTRAINT fk_user_id FOREIGN KEY(user_id) REFERENCES users (id), CONSTRAINT unique_experiment_user UNIQUE (experiment_id, user_id))",
            $"CREATE TABLE IF NOT EXISTS registered_model_permissions ({id}, name VARCHAR(255) NOT NULL, user_id INTEGER NOT NULL, permission VARCHAR(255), PRIMARY KEY (id), CONSTRAINT fk_user_id FOREIGN KEY(user_id) REFERENCES users (id), CONSTRAINT unique_name_user UNIQUE (name, user_id))",
        ];
        if (ownDatabase)
        {
            statements =
            [
                .. statements,
                "CREATE TABLE IF NOT EXISTS alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))",
                $"INSERT INTO alembic_version (version_num) SELECT '{SchemaRevision}' WHERE NOT EXISTS (SELECT 1 FROM alembic_version)",
            ];
        }

        await database.InTransactionAsync(
            async (connection, transaction) =>
            {
                if (database.IsPostgreSql)
                {
                    // Two servers starting on one database take turns creating the tables.
                    await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock(1768700218)", [], cancellationToken).ConfigureAwait(false);
                }

                foreach (var statement in statements)
                {
                    await ExecuteAsync(connection, transaction, statement, [], cancellationToken).ConfigureAwait(false);
                }

                return 0;
            },
            cancellationToken).ConfigureAwait(false);
    }

    public Task<AuthUser?> FindUserAsync(string username, CancellationToken cancellationToken) =>
        database.ReadAsync(c => FindUserAsync(c, null, username, cancellationToken), cancellationToken);

    public Task<bool> HasAdminAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(
            async c => await ScalarAsync(c, null, "SELECT COUNT(*) FROM users WHERE is_admin = @admin", [("@admin", true)], cancellationToken).ConfigureAwait(false) is { } n
                && Convert.ToInt64(n, CultureInfo.InvariantCulture) > 0,
            cancellationToken);

    public Task<AuthUser> CreateUserAsync(string username, string passwordHash, bool isAdmin, CancellationToken cancellationToken) =>
        database.InTransactionAsync(
            async (c, t) =>
            {
                await InsertAsync(c, t, "INSERT INTO users (username, password_hash, is_admin) VALUES (@name, @hash, @admin)", [("@name", username), ("@hash", passwordHash), ("@admin", isAdmin)], () => $"User (username={Endpoints.Excerpt.Of(username)}) already exists.", cancellationToken).ConfigureAwait(false);
                return (await FindUserAsync(c, t, username, cancellationToken).ConfigureAwait(false))!;
            },
            cancellationToken);

    public Task UpdatePasswordAsync(string username, string passwordHash, CancellationToken cancellationToken) =>
        UpdateUserAsync(username, "password_hash = @value", passwordHash, cancellationToken);

    public Task UpdateAdminAsync(string username, bool isAdmin, CancellationToken cancellationToken) =>
        UpdateUserAsync(username, "is_admin = @value", isAdmin, cancellationToken);

    /// <summary>Deletes a user and their permission records (MLflow refuses while records remain, with a database error; ours removes them with the user).</summary>
    public Task DeleteUserAsync(string username, CancellationToken cancellationToken) =>
        database.InTransactionAsync(
            async (c, t) =>
            {
                var user = await FindUserAsync(c, t, username, cancellationToken).ConfigureAwait(false) ?? throw UserNotFound(username);
                await ExecuteAsync(c, t, "DELETE FROM experiment_permissions WHERE user_id = @id", [("@id", user.Id)], cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(c, t, "DELETE FROM registered_model_permissions WHERE user_id = @id", [("@id", user.Id)], cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(c, t, "DELETE FROM users WHERE id = @id", [("@id", user.Id)], cancellationToken).ConfigureAwait(false);
                return 0;
            },
            cancellationToken);

    /// <summary>A user's records of one kind.</summary>
    public Task<IReadOnlyList<PermissionRecord>> RecordsOfUserAsync(ResourceKind kind, long userId, CancellationToken cancellationToken) =>
        database.ReadAsync(c => RecordsAsync(c, null, kind, userId, cancellationToken), cancellationToken);

    /// <summary>The user's permission on one resource, or null without a record.</summary>
    public Task<MlflowPermissionLevel?> PermissionAsync(ResourceKind kind, long userId, string resource, CancellationToken cancellationToken) =>
        database.ReadAsync(
            async c => await ScalarAsync(c, null, $"SELECT permission FROM {kind.Table} WHERE user_id = @user AND {kind.Column} = @resource", [("@user", userId), ("@resource", resource)], cancellationToken).ConfigureAwait(false) is string name
                ? Permissions.Parse(name)
                : (MlflowPermissionLevel?)null,
            cancellationToken);

    public Task<PermissionRecord> CreateRecordAsync(ResourceKind kind, string resource, string username, MlflowPermissionLevel permission, CancellationToken cancellationToken) =>
        database.InTransactionAsync(
            async (c, t) =>
            {
                var user = await FindUserAsync(c, t, username, cancellationToken).ConfigureAwait(false) ?? throw UserNotFound(username);
                await InsertAsync(c, t, $"INSERT INTO {kind.Table} ({kind.Column}, user_id, permission) VALUES (@resource, @user, @permission)", [("@resource", resource), ("@user", user.Id), ("@permission", permission.ToWireName())], () => $"{kind.Label} ({kind.Column}={Endpoints.Excerpt.Of(resource)}, username={Endpoints.Excerpt.Of(username)}) already exists.", cancellationToken).ConfigureAwait(false);
                return new PermissionRecord(resource, permission, user.Id);
            },
            cancellationToken);

    public Task<PermissionRecord> GetRecordAsync(ResourceKind kind, string resource, string username, CancellationToken cancellationToken) =>
        database.ReadAsync(
            async c =>
            {
                var user = await FindUserAsync(c, null, username, cancellationToken).ConfigureAwait(false) ?? throw UserNotFound(username);
                return await ScalarAsync(c, null, $"SELECT permission FROM {kind.Table} WHERE user_id = @user AND {kind.Column} = @resource", [("@user", user.Id), ("@resource", resource)], cancellationToken).ConfigureAwait(false) is string name
                    ? new PermissionRecord(resource, Permissions.Parse(name), user.Id)
                    : throw RecordNotFound(kind, resource, username);
            },
            cancellationToken);

    public Task UpdateRecordAsync(ResourceKind kind, string resource, string username, MlflowPermissionLevel permission, CancellationToken cancellationToken) =>
        ChangeRecordAsync(kind, resource, username, $"UPDATE {kind.Table} SET permission = @permission WHERE user_id = @user AND {kind.Column} = @resource", permission, cancellationToken);

    public Task DeleteRecordAsync(ResourceKind kind, string resource, string username, CancellationToken cancellationToken) =>
        ChangeRecordAsync(kind, resource, username, $"DELETE FROM {kind.Table} WHERE user_id = @user AND {kind.Column} = @resource", null, cancellationToken);

    /// <summary>Gives the creator of a resource MANAGE on it, replacing any older record (SQLite reuses the ids of purged experiments).</summary>
    public Task GrantCreatorAsync(ResourceKind kind, string resource, long userId, CancellationToken cancellationToken) =>
        database.InTransactionAsync(
            async (c, t) =>
            {
                await ExecuteAsync(c, t, $"DELETE FROM {kind.Table} WHERE user_id = @user AND {kind.Column} = @resource", [("@user", userId), ("@resource", resource)], cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(c, t, $"INSERT INTO {kind.Table} ({kind.Column}, user_id, permission) VALUES (@resource, @user, @permission)", [("@resource", resource), ("@user", userId), ("@permission", "MANAGE")], cancellationToken).ConfigureAwait(false);
                return 0;
            },
            cancellationToken);

    /// <summary>Removes every user's records of a deleted model, so that they do not apply to a future model of the same name.</summary>
    public Task ForgetModelAsync(string name, CancellationToken cancellationToken) =>
        database.InTransactionAsync(
            (c, t) => ExecuteAsync(c, t, "DELETE FROM registered_model_permissions WHERE name = @name", [("@name", name)], cancellationToken),
            cancellationToken);

    /// <summary>Moves the records of a renamed model to its new name.</summary>
    public Task RenameModelAsync(string name, string newName, CancellationToken cancellationToken) =>
        database.InTransactionAsync(
            (c, t) => ExecuteAsync(c, t, "UPDATE registered_model_permissions SET name = @new WHERE name = @old", [("@new", newName), ("@old", name)], cancellationToken),
            cancellationToken);

    private Task<int> ChangeRecordAsync(ResourceKind kind, string resource, string username, string sql, MlflowPermissionLevel? permission, CancellationToken cancellationToken) =>
        database.InTransactionAsync(
            async (c, t) =>
            {
                var user = await FindUserAsync(c, t, username, cancellationToken).ConfigureAwait(false) ?? throw UserNotFound(username);
                List<(string, object?)> parameters = [("@user", user.Id), ("@resource", resource)];
                if (permission is { } p)
                {
                    parameters.Add(("@permission", p.ToWireName()));
                }

                return await ExecuteAsync(c, t, sql, parameters, cancellationToken).ConfigureAwait(false) == 0
                    ? throw RecordNotFound(kind, resource, username)
                    : 0;
            },
            cancellationToken);

    private Task<int> UpdateUserAsync(string username, string assignment, object value, CancellationToken cancellationToken) =>
        database.InTransactionAsync(
            async (c, t) => await ExecuteAsync(c, t, $"UPDATE users SET {assignment} WHERE username = @name", [("@value", value), ("@name", username)], cancellationToken).ConfigureAwait(false) == 0
                ? throw UserNotFound(username)
                : 0,
            cancellationToken);

    private static async Task<AuthUser?> FindUserAsync(DbConnection connection, DbTransaction? transaction, string username, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, "SELECT id, username, password_hash, is_admin FROM users WHERE username = @name", [("@name", username)]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new AuthUser(
            Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture),
            reader.GetString(1),
            reader.IsDBNull(2) ? string.Empty : reader.GetString(2),
            !reader.IsDBNull(3) && Convert.ToBoolean(reader.GetValue(3), CultureInfo.InvariantCulture));
    }

    private static async Task<IReadOnlyList<PermissionRecord>> RecordsAsync(DbConnection connection, DbTransaction? transaction, ResourceKind kind, long userId, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, $"SELECT {kind.Column}, permission FROM {kind.Table} WHERE user_id = @user ORDER BY id", [("@user", userId)]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var records = new List<PermissionRecord>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            records.Add(new PermissionRecord(reader.GetString(0), Permissions.Parse(reader.IsDBNull(1) ? null : reader.GetString(1)), userId));
        }

        return records;
    }

    private static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, IEnumerable<(string, object?)> parameters, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>An insert whose unique violation is RESOURCE_ALREADY_EXISTS with <paramref name="exists"/>'s message (the transaction then rolls back).</summary>
    private async Task InsertAsync(DbConnection connection, DbTransaction? transaction, string sql, IEnumerable<(string, object?)> parameters, Func<string> exists, CancellationToken cancellationToken)
    {
        try
        {
            await ExecuteAsync(connection, transaction, sql, parameters, cancellationToken).ConfigureAwait(false);
        }
        catch (DbException e) when (database.IsUniqueViolation(e))
        {
            throw new MlflowException(ErrorCode.ResourceAlreadyExists, exists(), e);
        }
    }

    private static async Task<object?> ScalarAsync(DbConnection connection, DbTransaction? transaction, string sql, IEnumerable<(string, object?)> parameters, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is DBNull ? null : value;
    }

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, IEnumerable<(string Name, object? Value)> parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    private static MlflowException UserNotFound(string username) =>
        MlflowException.NotFound($"User with username={Endpoints.Excerpt.Of(username)} not found");

    private static MlflowException RecordNotFound(ResourceKind kind, string resource, string username) =>
        MlflowException.NotFound($"{kind.Label} with {kind.Column}={Endpoints.Excerpt.Of(resource)} and username={Endpoints.Excerpt.Of(username)} not found");
}
