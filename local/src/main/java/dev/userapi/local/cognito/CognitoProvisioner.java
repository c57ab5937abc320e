package dev.userapi.local.cognito;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AccountRecoverySettingType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.CreateUserPoolClientRequest;
import software.amazon.awssdk.services.cognitoidentityprovider.model.CreateUserPoolRequest;
import software.amazon.awssdk.services.cognitoidentityprovider.model.GroupType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.PasswordPolicyType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.RecoveryOptionType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.SchemaAttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.TokenValidityUnitsType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolClientDescription;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolDescriptionType;

/**
 * Creates the user pool, its app client and its groups in cognito-local from the template's own
 * {@code AWS::Cognito::UserPool}, {@code AWS::Cognito::UserPoolClient} and
 * {@code AWS::Cognito::UserPoolGroup} properties (password policy, MFA, username attributes,
 * auth flows, token validity...), through the Cognito API as CloudFormation would. With persistent
 * data, what exists already (same names) is reused, so IDs and users survive restarts.
 */
public final class CognitoProvisioner implements AutoCloseable {
    /** The pool and app client the functions will use. */
    public record Pool(String poolId, String poolArn, String clientId) {
    }

    private final CognitoIdentityProviderClient cognito;

    public CognitoProvisioner(URI cognitoLocal, String region) {
        this.cognito = CognitoIdentityProviderClient.builder()
                .endpointOverride(cognitoLocal)
                .region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(10)).build())
                .overrideConfiguration(ClientOverrideConfiguration.builder().apiCallTimeout(Duration.ofSeconds(20)).build())
                .build();
    }

    public CognitoIdentityProviderClient client() {
        return cognito;
    }

    /**
     * @param pool   the pool's evaluated template properties
     * @param client a function from the pool ID to the client's evaluated properties ({@code UserPoolId: !Ref UserPool})
     * @param groups the groups' evaluated properties
     */
    public Pool provision(Map<String, Object> pool, java.util.function.Function<String, Map<String, Object>> client,
                          java.util.function.Function<String, List<Map<String, Object>>> groups) {
        String poolName = string(pool, "UserPoolName").orElse("user-pool");
        UserPoolDescriptionType existing = cognito.listUserPools(r -> r.maxResults(60)).userPools().stream()
                .filter(p -> poolName.equals(p.name())).findFirst().orElse(null);
        String poolId = existing != null ? existing.id() : createPool(poolName, pool);
        String poolArn = cognito.describeUserPool(r -> r.userPoolId(poolId)).userPool().arn();

        Map<String, Object> clientProperties = client.apply(poolId);
        String clientName = string(clientProperties, "ClientName").orElse("app");
        String clientId = cognito.listUserPoolClients(r -> r.userPoolId(poolId).maxResults(60)).userPoolClients().stream()
                .filter(c -> clientName.equals(c.clientName())).map(UserPoolClientDescription::clientId).findFirst()
                .orElseGet(() -> createClient(poolId, clientName, clientProperties));
        // the flows follow the template on every start, so persistent data made by an older template gets new ones (USER_AUTH)
        strings(clientProperties, "ExplicitAuthFlows").ifPresent(flows ->
                cognito.updateUserPoolClient(r -> r.userPoolId(poolId).clientId(clientId).explicitAuthFlowsWithStrings(flows)));
        applyHostedUi(poolId, clientId, clientProperties);

        List<String> present = cognito.listGroups(r -> r.userPoolId(poolId).limit(60)).groups().stream().map(GroupType::groupName).toList();
        for (Map<String, Object> group : groups.apply(poolId)) {
            String name = string(group, "GroupName").orElseThrow();
            if (!present.contains(name)) {
                cognito.createGroup(r -> r.userPoolId(poolId).groupName(name).description(string(group, "Description").orElse(null))
                        .precedence(string(group, "Precedence").map(Integer::valueOf).orElse(null)));
            }
        }
        return new Pool(poolId, poolArn, clientId);
    }

    @SuppressWarnings("unchecked")
    private String createPool(String name, Map<String, Object> p) {
        CreateUserPoolRequest.Builder request = CreateUserPoolRequest.builder().poolName(name);
        map(p, "Policies").map(policies -> (Map<String, Object>) policies.getOrDefault("PasswordPolicy", Map.of())).ifPresent(pw ->
                request.policies(policies -> policies.passwordPolicy(PasswordPolicyType.builder()
                        .minimumLength(integer(pw, "MinimumLength").orElse(null))
                        .requireLowercase(bool(pw, "RequireLowercase").orElse(null))
                        .requireUppercase(bool(pw, "RequireUppercase").orElse(null))
                        .requireNumbers(bool(pw, "RequireNumbers").orElse(null))
                        .requireSymbols(bool(pw, "RequireSymbols").orElse(null))
                        .temporaryPasswordValidityDays(integer(pw, "TemporaryPasswordValidityDays").orElse(null))
                        .build())));
        strings(p, "UsernameAttributes").ifPresent(request::usernameAttributesWithStrings);
        map(p, "UsernameConfiguration").flatMap(c -> bool(c, "CaseSensitive"))
                .ifPresent(sensitive -> request.usernameConfiguration(c -> c.caseSensitive(sensitive)));
        strings(p, "AutoVerifiedAttributes").ifPresent(request::autoVerifiedAttributesWithStrings);
        map(p, "UserAttributeUpdateSettings").flatMap(s -> strings(s, "AttributesRequireVerificationBeforeUpdate"))
                .ifPresent(attrs -> request.userAttributeUpdateSettings(s -> s.attributesRequireVerificationBeforeUpdateWithStrings(attrs)));
        string(p, "MfaConfiguration").ifPresent(request::mfaConfiguration);
        map(p, "AccountRecoverySetting").ifPresent(setting -> {
            List<RecoveryOptionType> options = new ArrayList<>();
            for (Object raw : (List<Object>) setting.getOrDefault("RecoveryMechanisms", List.of())) {
                Map<String, Object> m = (Map<String, Object>) raw;
                options.add(RecoveryOptionType.builder().name(string(m, "Name").orElseThrow())
                        .priority(integer(m, "Priority").orElse(1)).build());
            }
            request.accountRecoverySetting(AccountRecoverySettingType.builder().recoveryMechanisms(options).build());
        });
        map(p, "AdminCreateUserConfig").flatMap(c -> bool(c, "AllowAdminCreateUserOnly"))
                .ifPresent(only -> request.adminCreateUserConfig(c -> c.allowAdminCreateUserOnly(only)));
        if (p.get("Schema") instanceof List<?> schema) {
            List<SchemaAttributeType> attributes = new ArrayList<>();
            for (Object raw : schema) {
                Map<String, Object> a = (Map<String, Object>) raw;
                attributes.add(SchemaAttributeType.builder().name(string(a, "Name").orElseThrow())
                        .attributeDataType(string(a, "AttributeDataType").orElse("String"))
                        .required(bool(a, "Required").orElse(null)).mutable(bool(a, "Mutable").orElse(null)).build());
            }
            request.schema(attributes);
        }
        string(p, "DeletionProtection").ifPresent(request::deletionProtection);
        String poolId = cognito.createUserPool(request.build()).userPool().id();
        if (strings(p, "EnabledMfas").orElse(List.of()).contains("SOFTWARE_TOKEN_MFA")) {
            cognito.setUserPoolMfaConfig(r -> r.userPoolId(poolId).softwareTokenMfaConfiguration(c -> c.enabled(true))
                    .mfaConfiguration(string(p, "MfaConfiguration").orElse("OPTIONAL")));
        }
        return poolId;
    }

    /**
     * The app client's hosted-UI settings, applied on every start (the callback URL carries this
     * run's port). Identity providers are not emulated: only COGNITO is kept.
     */
    private void applyHostedUi(String poolId, String clientId, Map<String, Object> c) {
        if (strings(c, "AllowedOAuthFlows").isEmpty()) {
            return;
        }
        cognito.updateUserPoolClient(r -> r.userPoolId(poolId).clientId(clientId)
                .allowedOAuthFlowsWithStrings(strings(c, "AllowedOAuthFlows").orElse(List.of()))
                .allowedOAuthFlowsUserPoolClient(bool(c, "AllowedOAuthFlowsUserPoolClient").orElse(true))
                .allowedOAuthScopes(strings(c, "AllowedOAuthScopes").orElse(List.of()))
                .callbackURLs(strings(c, "CallbackURLs").orElse(List.of()))
                .logoutURLs(strings(c, "LogoutURLs").orElse(List.of()))
                .supportedIdentityProviders(List.of("COGNITO")));
    }

    @SuppressWarnings("unchecked")
    private String createClient(String poolId, String name, Map<String, Object> c) {
        CreateUserPoolClientRequest.Builder request = CreateUserPoolClientRequest.builder().userPoolId(poolId).clientName(name);
        bool(c, "GenerateSecret").ifPresent(request::generateSecret);
        strings(c, "ExplicitAuthFlows").ifPresent(request::explicitAuthFlowsWithStrings);
        string(c, "PreventUserExistenceErrors").ifPresent(request::preventUserExistenceErrors);
        bool(c, "EnableTokenRevocation").ifPresent(request::enableTokenRevocation);
        integer(c, "AuthSessionValidity").ifPresent(request::authSessionValidity);
        integer(c, "AccessTokenValidity").ifPresent(request::accessTokenValidity);
        integer(c, "IdTokenValidity").ifPresent(request::idTokenValidity);
        integer(c, "RefreshTokenValidity").ifPresent(request::refreshTokenValidity);
        map(c, "TokenValidityUnits").ifPresent(units -> request.tokenValidityUnits(TokenValidityUnitsType.builder()
                .accessToken(string(units, "AccessToken").orElse(null))
                .idToken(string(units, "IdToken").orElse(null))
                .refreshToken(string(units, "RefreshToken").orElse(null)).build()));
        strings(c, "ReadAttributes").ifPresent(request::readAttributes);
        strings(c, "WriteAttributes").ifPresent(request::writeAttributes);
        return cognito.createUserPoolClient(request.build()).userPoolClient().clientId();
    }

    private static Optional<String> string(Map<String, Object> map, String key) {
        return Optional.ofNullable(map.get(key)).map(String::valueOf);
    }

    private static Optional<Integer> integer(Map<String, Object> map, String key) {
        return string(map, key).map(Integer::valueOf);
    }

    private static Optional<Boolean> bool(Map<String, Object> map, String key) {
        return string(map, key).map(Boolean::valueOf);
    }

    @SuppressWarnings("unchecked")
    private static Optional<Map<String, Object>> map(Map<String, Object> map, String key) {
        return map.get(key) instanceof Map<?, ?> m ? Optional.of((Map<String, Object>) m) : Optional.empty();
    }

    private static Optional<List<String>> strings(Map<String, Object> map, String key) {
        return map.get(key) instanceof List<?> list ? Optional.of(list.stream().map(String::valueOf).toList()) : Optional.empty();
    }

    @Override
    public void close() {
        cognito.close();
    }
}
